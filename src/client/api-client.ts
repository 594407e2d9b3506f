/**
 * A small typed client for the service's HTTP API, used by `npm start`, the benchmarks,
 * the end-to-end tests and the CLI. It speaks plain fetch, so it runs in Node and Workers.
 * Methods return the JSON the route returns; the type parameters default to the shapes
 * the routes document and exist so callers can narrow without casts.
 */
import type { RunEstimate, RunSummary } from "../engine";
import type { AgentSnapshot } from "../storage/agent-repo";
import type { PromptVersion } from "../storage/champion-repo";
import type { Page } from "../storage/cursor";
import type { AddedPrompt, PromptChange, PromptState } from "../storage/prompt-change-repo";
import type { ApiKeyView, Project } from "../storage/project-repo";
import type { CandidateRecord, RunRecord } from "../storage/run-repo";
import type { Task } from "../storage/task-repo";
import type { InboundDeliveryView } from "../storage/inbound-delivery-repo";
import type { TaskSchedule } from "../storage/schedule-repo";
import type { DeliveryStatus, WebhookDelivery, WebhookDeliveryDetail } from "../storage/webhook-delivery-repo";
import type { WebhookSubscription } from "../storage/webhook-subscription-repo";
import type { BudgetView } from "../routes/budget";
import type { ExamplesAppended } from "../routes/task-examples";
import type { InboundEndpointWithUrl } from "../routes/webhook-endpoints";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`: a project key, or the admin key for the admin methods. */
  apiKey?: string;
  /** With the admin key: the project the project routes act on (`x-sepo-project`). */
  project?: string;
  fetch?: typeof fetch;
  /** Abort a request after this long; by default a request may take as long as the server does. */
  timeoutMs?: number;
}

/** `?limit=&cursor=` of every list endpoint, plus the list's own filters. */
export type Query = Record<string, string | number | boolean | undefined>;

export type PromptHistory = Page<PromptVersion> & { taskId: string; liveVersion: number | null; pinned: boolean };
export type PromptChangePage = Page<PromptChange> & { taskId: string };
export interface RunEstimateResponse {
  dryRun: true;
  estimate: RunEstimate;
  config: Record<string, unknown>;
}

/** `GET /v1/webhooks`: what is configured and how deliveries stand. */
export interface WebhooksOverview {
  subscriptions: number;
  deliveries: Record<DeliveryStatus, number>;
  eventTypes: string[];
  links: Record<string, string>;
}
export interface SubscriptionInput {
  url: string;
  events: string[];
  description?: string;
}
export type SubscriptionPatch = Partial<SubscriptionInput> & { enabled?: boolean };
export interface EndpointInput {
  name: string;
  scheme: "standard" | "github";
  action?: unknown;
}
/** The body of `PUT /v1/tasks/:id/schedule`; omitted fields take their defaults (the PUT replaces the whole schedule). */
export interface ScheduleInput {
  cron: string;
  timezone?: string;
  config?: Record<string, unknown>;
  agent?: string | null;
  agentModel?: { model: string; baseUrl?: string };
  enabled?: boolean;
}
export interface BudgetInput {
  limits: { calls?: number; tokens?: number; usd?: number };
  period?: "month" | "total";
}

export class SepoClient {
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.fetcher = options.fetch ?? fetch;
  }

  /** The base URL requests go to (for messages such as "cannot reach ..."). */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    if (this.options.project) headers["x-sepo-project"] = this.options.project;
    const res = await this.fetcher(new URL(path, this.options.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(this.options.timeoutMs ? { signal: AbortSignal.timeout(this.options.timeoutMs) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text for the error message
    }
    if (!res.ok) {
      const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? text.slice(0, 300);
      throw new ApiError(res.status, parsed, `${method} ${path} -> ${res.status}: ${message}`);
    }
    return parsed as T;
  }

  createTask<T = { id: string; name: string }>(task: unknown) {
    return this.request<T>("POST", "/v1/tasks", task);
  }

  listTasks<T = Page<Task>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/tasks${queryString(query)}`);
  }

  getTask<T = Task>(taskId: string) {
    return this.request<T>("GET", `/v1/tasks/${encodeURIComponent(taskId)}`);
  }

  startRun<T = { runId: string; status: string }>(run: unknown) {
    return this.request<T>("POST", "/v1/runs", run);
  }

  /** What a run would cost (upper bounds), without starting it: `POST /v1/runs?dryRun=true`. */
  estimateRun<T = RunEstimateResponse>(run: unknown) {
    return this.request<T>("POST", "/v1/runs?dryRun=true", run);
  }

  getRun<T = { runId: string; status: string }>(runId: string) {
    return this.request<T>("GET", `/v1/runs/${encodeURIComponent(runId)}`);
  }

  /** The run's live summary, typed (getRun keeps its loose default for existing callers). */
  getRunSummary(runId: string) {
    return this.getRun<RunSummary>(runId);
  }

  listRuns<T = Page<RunRecord>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/runs${queryString(query)}`);
  }

  listCandidates<T = { items: CandidateRecord[] }>(runId: string, query: Query = {}) {
    return this.request<T>("GET", `/v1/runs/${encodeURIComponent(runId)}/candidates${queryString(query)}`);
  }

  cancelRun<T = unknown>(runId: string) {
    return this.request<T>("POST", `/v1/runs/${encodeURIComponent(runId)}/cancel`);
  }

  getPrompt<T = { version: number; text: string }>(taskId: string) {
    return this.request<T>("GET", `/v1/tasks/${encodeURIComponent(taskId)}/prompt`);
  }

  listPrompts<T = PromptHistory>(taskId: string, query: Query = {}) {
    return this.request<T>("GET", `/v1/tasks/${encodeURIComponent(taskId)}/prompts${queryString(query)}`);
  }

  /** A manual version (`live: true` serves it at once; refused with 409 while the task is pinned). */
  addPrompt<T = AddedPrompt>(taskId: string, body: { text: string; live?: boolean; note?: string }) {
    return this.request<T>("POST", `/v1/tasks/${encodeURIComponent(taskId)}/prompts`, body);
  }

  promotePrompt<T = PromptState>(taskId: string, version: number, reason?: string) {
    return this.request<T>("POST", `${promptPath(taskId)}/promote`, { version, ...(reason ? { reason } : {}) });
  }

  rollbackPrompt<T = PromptState>(taskId: string, reason?: string) {
    return this.request<T>("POST", `${promptPath(taskId)}/rollback`, reason ? { reason } : {});
  }

  /** Pins the live version, or `version` (making it live). */
  pinPrompt<T = PromptState>(taskId: string, version?: number, reason?: string) {
    return this.request<T>("POST", `${promptPath(taskId)}/pin`, { ...(version !== undefined ? { version } : {}), ...(reason ? { reason } : {}) });
  }

  unpinPrompt<T = PromptState>(taskId: string) {
    return this.request<T>("DELETE", `${promptPath(taskId)}/pin`);
  }

  listPromptChanges<T = PromptChangePage>(taskId: string, query: Query = {}) {
    return this.request<T>("GET", `${promptPath(taskId)}/changes${queryString(query)}`);
  }

  listAgents<T = Page<AgentSnapshot>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/agents${queryString(query)}`);
  }

  getAgent<T = AgentSnapshot>(snapshotId: string) {
    return this.request<T>("GET", `/v1/agents/${encodeURIComponent(snapshotId)}`);
  }

  // The admin API: these need the admin key.

  createProject<T = Project>(name: string) {
    return this.request<T>("POST", "/v1/projects", { name });
  }

  listProjects<T = Page<Project>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/projects${queryString(query)}`);
  }

  /** A new key of the project; the response is the only place its `key` ever appears. */
  createApiKey<T = ApiKeyView & { key: string }>(projectId: string, name: string) {
    return this.request<T>("POST", `/v1/projects/${encodeURIComponent(projectId)}/keys`, { name });
  }

  listApiKeys<T = { items: ApiKeyView[] }>(projectId: string) {
    return this.request<T>("GET", `/v1/projects/${encodeURIComponent(projectId)}/keys`);
  }

  revokeApiKey<T = ApiKeyView>(projectId: string, keyId: string) {
    return this.request<T>("DELETE", `/v1/projects/${encodeURIComponent(projectId)}/keys/${encodeURIComponent(keyId)}`);
  }

  // Examples, schedules, budget and webhooks (project key).

  appendExamples<T = ExamplesAppended>(taskId: string, examples: unknown[]) {
    return this.request<T>("POST", `/v1/tasks/${encodeURIComponent(taskId)}/examples`, { examples });
  }

  /** Sets the task's schedule whole (201 when new, 200 when replaced). */
  putSchedule<T = TaskSchedule>(taskId: string, schedule: ScheduleInput) {
    return this.request<T>("PUT", `/v1/tasks/${encodeURIComponent(taskId)}/schedule`, schedule);
  }

  getSchedule<T = TaskSchedule>(taskId: string) {
    return this.request<T>("GET", `/v1/tasks/${encodeURIComponent(taskId)}/schedule`);
  }

  deleteSchedule(taskId: string) {
    return this.request<null>("DELETE", `/v1/tasks/${encodeURIComponent(taskId)}/schedule`);
  }

  listSchedules<T = Page<TaskSchedule>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/schedules${queryString(query)}`);
  }

  getBudget<T = BudgetView>() {
    return this.request<T>("GET", "/v1/budget");
  }

  putBudget<T = BudgetView>(budget: BudgetInput) {
    return this.request<T>("PUT", "/v1/budget", budget);
  }

  deleteBudget() {
    return this.request<null>("DELETE", "/v1/budget");
  }

  getWebhooks<T = WebhooksOverview>() {
    return this.request<T>("GET", "/v1/webhooks");
  }

  /** The response is the only place the subscription's signing `secret` appears (and rotate's). */
  createSubscription<T = WebhookSubscription & { secret: string }>(input: SubscriptionInput) {
    return this.request<T>("POST", "/v1/webhooks/subscriptions", input);
  }

  listSubscriptions<T = Page<WebhookSubscription>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/webhooks/subscriptions${queryString(query)}`);
  }

  getSubscription<T = WebhookSubscription>(id: string) {
    return this.request<T>("GET", subscriptionPath(id));
  }

  updateSubscription<T = WebhookSubscription>(id: string, patch: SubscriptionPatch) {
    return this.request<T>("PATCH", subscriptionPath(id), patch);
  }

  deleteSubscription<T = WebhookSubscription>(id: string) {
    return this.request<T>("DELETE", subscriptionPath(id));
  }

  rotateSubscriptionSecret<T = WebhookSubscription & { secret: string }>(id: string) {
    return this.request<T>("POST", `${subscriptionPath(id)}/rotate`);
  }

  /** Queues a `webhook.test` delivery to this subscription alone. */
  testSubscription<T = WebhookDelivery>(id: string) {
    return this.request<T>("POST", `${subscriptionPath(id)}/test`);
  }

  /** Filters: subscriptionId, status, eventType. */
  listDeliveries<T = Page<WebhookDelivery>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/webhooks/deliveries${queryString(query)}`);
  }

  getDelivery<T = WebhookDeliveryDetail>(id: string) {
    return this.request<T>("GET", `/v1/webhooks/deliveries/${encodeURIComponent(id)}`);
  }

  retryDelivery<T = WebhookDelivery>(id: string) {
    return this.request<T>("POST", `/v1/webhooks/deliveries/${encodeURIComponent(id)}/retry`);
  }

  /** An inbound endpoint; the response is the only place its `secret` appears (and rotate's). */
  createEndpoint<T = InboundEndpointWithUrl & { secret: string }>(input: EndpointInput) {
    return this.request<T>("POST", "/v1/webhooks/endpoints", input);
  }

  listEndpoints<T = Page<InboundEndpointWithUrl>>(query: Query = {}) {
    return this.request<T>("GET", `/v1/webhooks/endpoints${queryString(query)}`);
  }

  getEndpoint<T = InboundEndpointWithUrl>(id: string) {
    return this.request<T>("GET", endpointPath(id));
  }

  revokeEndpoint<T = InboundEndpointWithUrl>(id: string) {
    return this.request<T>("DELETE", endpointPath(id));
  }

  rotateEndpointSecret<T = InboundEndpointWithUrl & { secret: string }>(id: string) {
    return this.request<T>("POST", `${endpointPath(id)}/rotate`);
  }

  listEndpointDeliveries<T = Page<InboundDeliveryView>>(id: string, query: Query = {}) {
    return this.request<T>("GET", `${endpointPath(id)}/deliveries${queryString(query)}`);
  }
}

function subscriptionPath(id: string): string {
  return `/v1/webhooks/subscriptions/${encodeURIComponent(id)}`;
}

function endpointPath(id: string): string {
  return `/v1/webhooks/endpoints/${encodeURIComponent(id)}`;
}

function promptPath(taskId: string): string {
  return `/v1/tasks/${encodeURIComponent(taskId)}/prompt`;
}

/** `?a=1&b=x` from the defined entries, or "" when none is. */
export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}
