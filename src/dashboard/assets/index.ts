/** The dashboard's client files by the name the browser asks for (see ../routes.ts). */
import { apiJs } from "./api";
import { budgetCardJs } from "./budget-card";
import { candidatePanelJs } from "./candidate-panel";
import { chartJs } from "./chart";
import { confirmJs } from "./confirm";
import { deliveryPanelJs } from "./delivery-panel";
import { diffJs } from "./diff";
import { domJs } from "./dom";
import { inboundEndpointsJs } from "./inbound-endpoints";
import { lineageJs } from "./lineage";
import { mainJs } from "./main";
import { pageListsJs } from "./page-lists";
import { pageRunJs } from "./page-run";
import { pageTasksJs } from "./page-tasks";
import { pageWebhooksJs } from "./page-webhooks";
import { promptLogJs } from "./prompt-log";
import { promptPanelJs } from "./prompt-panel";
import { scheduleCardJs } from "./schedule-card";
import { styleCss } from "./style";

export interface DashboardAsset {
  type: string;
  body: string;
}

const JS = "text/javascript; charset=utf-8";

export const DASHBOARD_ASSETS: Record<string, DashboardAsset> = {
  "api.js": { type: JS, body: apiJs },
  "budget-card.js": { type: JS, body: budgetCardJs },
  "candidate-panel.js": { type: JS, body: candidatePanelJs },
  "chart.js": { type: JS, body: chartJs },
  "confirm.js": { type: JS, body: confirmJs },
  "delivery-panel.js": { type: JS, body: deliveryPanelJs },
  "diff.js": { type: JS, body: diffJs },
  "dom.js": { type: JS, body: domJs },
  "inbound-endpoints.js": { type: JS, body: inboundEndpointsJs },
  "lineage.js": { type: JS, body: lineageJs },
  "main.js": { type: JS, body: mainJs },
  "page-lists.js": { type: JS, body: pageListsJs },
  "page-run.js": { type: JS, body: pageRunJs },
  "page-tasks.js": { type: JS, body: pageTasksJs },
  "page-webhooks.js": { type: JS, body: pageWebhooksJs },
  "prompt-log.js": { type: JS, body: promptLogJs },
  "prompt-panel.js": { type: JS, body: promptPanelJs },
  "schedule-card.js": { type: JS, body: scheduleCardJs },
  "style.css": { type: "text/css; charset=utf-8", body: styleCss },
};
