/** The top-level help (`sepo --help`). Commands keep their own help next to their code. */
export const USAGE = `sepo: command-line client for SePO Edge (self-evolving prompt optimization)

Usage: sepo <command> [options]

Tasks and prompts
  sepo tasks create --file task.json              a task body as POST /v1/tasks takes it
  sepo tasks create --file examples.jsonl --name N --seed-prompt P --scorer exact [--model M]
  sepo tasks create --promptfoo promptfooconfig.json [--seed-prompt P] [--dry-run]
  sepo tasks list | get <taskId>
  sepo prompt get <taskId>                         print the live prompt text
  sepo prompt history <taskId>                     the task's prompt versions

Runs and agents
  sepo runs start pretrain --tasks id1,id2 [--config run.json] [--set generations=5 ...]
  sepo runs start finetune --task id [--agent latest|<snapshotId>|none] [--dry-run] [--watch]
  sepo runs watch <runId>                          follow a run until it ends
  sepo runs list | get <runId> | cancel <runId> | candidates <runId>
  sepo agents list | get <snapshotId>              prompt-agent snapshots from pre-training

Configuration
  sepo config set url <url> | set key <key|-> | unset url|key | show
  (every API call needs a project's API key: an admin creates one with POST /v1/projects/:id/keys;
   \`npm start\` prints a local one)

Global options
  --url <url>    the API (else $SEPO_URL, the config file, http://127.0.0.1:8787)
  --key <key>    API key, sent as "Authorization: Bearer <key>" (else $SEPO_API_KEY, the config file)
  --json         print machine-readable JSON on stdout
  -h, --help     this help, or a command's: sepo runs start --help
  --version      print the CLI version

Exit codes
  0  success
  1  the API refused the request or could not be reached, or an input file is unusable
  2  bad command line (unknown command or option, missing argument)
  3  runs watch / runs start --watch: the run ended failed or cancelled

Config file: $SEPO_CONFIG, else ~/.config/sepo/config.json (flag > env > file > default).`;
