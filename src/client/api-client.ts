/**
 * A small typed client for the service's HTTP API, used by `npm start`, the benchmarks,
 * the end-to-end tests and the CLI. It speaks plain fetch, so it runs in Node and Workers.
 */
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
  apiKey?: string;
  fetch?: typeof fetch;
}

export class SepoClient {
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.fetcher = options.fetch ?? fetch;
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const res = await this.fetcher(new URL(path, this.options.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
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

  startRun<T = { runId: string; status: string }>(run: unknown) {
    return this.request<T>("POST", "/v1/runs", run);
  }

  getRun<T = { runId: string; status: string }>(runId: string) {
    return this.request<T>("GET", `/v1/runs/${encodeURIComponent(runId)}`);
  }

  cancelRun<T = unknown>(runId: string) {
    return this.request<T>("POST", `/v1/runs/${encodeURIComponent(runId)}/cancel`);
  }

  getPrompt<T = { version: number; text: string }>(taskId: string) {
    return this.request<T>("GET", `/v1/tasks/${encodeURIComponent(taskId)}/prompt`);
  }
}
