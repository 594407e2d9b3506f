/** The top-level help (`sepo --help`). Commands keep their own help next to their code. */
export const USAGE = `sepo: command-line client for SePO Edge (self-evolving prompt optimization)

Usage: sepo <command> [options]

Tasks and prompts
  sepo tasks create --file task.json              a task body as POST /v1/tasks takes it
  sepo tasks create --file examples.jsonl --name N --seed-prompt P --scorer exact [--model M]
  sepo tasks create --promptfoo promptfooconfig.yaml [--seed-prompt P] [--dry-run]   (.yaml, .yml or .json)
  sepo tasks list | get <taskId>
  sepo tasks add-examples <taskId> --file examples.jsonl
  sepo prompt get <taskId>                         print the live prompt text
  sepo prompt history | changes <taskId>           the task's prompt versions, the live version's changes
  sepo prompt promote <taskId> <version> | rollback <taskId> | pin | unpin | add

Runs and agents
  sepo runs start pretrain --tasks id1,id2 [--config run.json] [--set generations=5 ...]
  sepo runs start finetune --task id [--agent latest|<snapshotId>|none] [--dry-run] [--watch]
  sepo runs watch <runId>                          follow a run until it ends
  sepo runs list | get <runId> | cancel <runId> | candidates <runId>
  sepo agents list | get <snapshotId>              prompt-agent snapshots from pre-training

Automation
  sepo schedules set <taskId> --cron "0 3 * * *" [--timezone tz] [--config run.json] [--agent latest|<id>|none] [--disable]
  sepo schedules get | delete <taskId> | list
  sepo webhooks subscribe <url> --events run.finished,champion.promoted   prints the signing secret once
  sepo webhooks status | list | get | update | delete | rotate | test <subscriptionId>
  sepo webhooks deliveries [--status failed] [--subscription id] | delivery <id> | retry <id>
  sepo webhooks endpoint create <name> [--scheme standard|github] | list | get | revoke | rotate | deliveries
  sepo budget get | set [--calls n] [--tokens n] [--usd x] [--period month|total] | clear

Administration (these send the admin key, never the project key)
  sepo projects create <name> | list
  sepo keys create <projectId> [--name N] [--save]   prints the new key once, alone on stdout
  sepo keys list <projectId> | revoke <projectId> <keyId>

Configuration
  sepo config set url <url> | set key <key|-> | set admin-key <key|-> | unset url|key|admin-key | show
  (every project command needs a project's API key: \`sepo keys create\` makes one with the admin key;
   \`npm start\` prints a local one)

Global options
  --url <url>    the API (else $SEPO_URL, the config file, http://127.0.0.1:8787)
  --key <key>    API key, sent as "Authorization: Bearer <key>" (else $SEPO_API_KEY, the config file)
  --admin-key <key>  the admin key, for projects and keys (else $SEPO_ADMIN_KEY, the config file)
  --json         print machine-readable JSON on stdout
  -h, --help     this help, or a command's: sepo runs start --help
  --version      print the CLI version

Exit codes
  0  success
  1  the API refused the request (4xx/5xx: not found, invalid, conflict, ...) or could not be
     reached, an input file is unusable, or a needed key is not configured
  2  bad command line (unknown command or option, missing argument)
  3  runs watch / runs start --watch: the run ended failed or cancelled
A failure prints one line on stderr, "sepo: error: <message>"; with --json stdout holds only JSON.

Config file: $SEPO_CONFIG, else ~/.config/sepo/config.json (flag > env > file > default).`;
