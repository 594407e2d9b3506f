/** The dashboard's client files by the name the browser asks for (see ../routes.ts). */
import { apiJs } from "./api";
import { candidatePanelJs } from "./candidate-panel";
import { chartJs } from "./chart";
import { diffJs } from "./diff";
import { domJs } from "./dom";
import { lineageJs } from "./lineage";
import { mainJs } from "./main";
import { pageListsJs } from "./page-lists";
import { pageRunJs } from "./page-run";
import { pageTasksJs } from "./page-tasks";
import { styleCss } from "./style";

export interface DashboardAsset {
  type: string;
  body: string;
}

const JS = "text/javascript; charset=utf-8";

export const DASHBOARD_ASSETS: Record<string, DashboardAsset> = {
  "api.js": { type: JS, body: apiJs },
  "candidate-panel.js": { type: JS, body: candidatePanelJs },
  "chart.js": { type: JS, body: chartJs },
  "diff.js": { type: JS, body: diffJs },
  "dom.js": { type: JS, body: domJs },
  "lineage.js": { type: JS, body: lineageJs },
  "main.js": { type: JS, body: mainJs },
  "page-lists.js": { type: JS, body: pageListsJs },
  "page-run.js": { type: JS, body: pageRunJs },
  "page-tasks.js": { type: JS, body: pageTasksJs },
  "style.css": { type: "text/css; charset=utf-8", body: styleCss },
};
