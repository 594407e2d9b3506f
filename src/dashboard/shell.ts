/**
 * The dashboard's one HTML page: a static shell with no data in it. Everything shown is
 * fetched by the client modules from the JSON API with the user's key, so the Worker
 * never renders a prompt or an example into HTML.
 */
export function dashboardShell(base: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SePO Edge dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${base}/assets/style.css">
<script type="module" src="${base}/assets/main.js"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="#/runs">SePO Edge</a>
  <nav>
    <a href="#/runs" data-nav="runs">Runs</a>
    <a href="#/tasks" data-nav="tasks">Tasks</a>
    <a href="#/agents" data-nav="agents">Agent snapshots</a>
    <a href="#/webhooks" data-nav="webhooks">Webhooks</a>
  </nav>
  <details id="settings" class="settings">
    <summary>API key <span id="key-state" class="muted"></span></summary>
    <form id="key-form">
      <label for="api-key">Bearer API key, kept in this browser only (localStorage)</label>
      <input id="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="paste an API key">
      <div class="row"><button type="submit">Save</button><button type="button" id="key-clear" class="secondary">Clear</button></div>
    </form>
  </details>
</header>
<div id="banner" class="banner" role="alert" hidden></div>
<main id="app"><noscript>This dashboard needs JavaScript: it reads the JSON API under /v1.</noscript></main>
</body>
</html>
`;
}
