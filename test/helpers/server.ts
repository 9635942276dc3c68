import { startServer, type RunningServer } from '../../src/server/start-server.js';

// The real server in the test process, on a loopback port the OS picks, driven with fetch.
// Its environment is only what a test passes: no REDIS_URL or S3 bucket leaks in from outside.

export interface TestServer extends RunningServer {
  home: string;
  /** One request; the body is sent as JSON unless it is a Buffer/string (then as given). */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface TestServerOptions {
  home: string;
  env?: Record<string, string>;
  database?: string;
  state?: 'file' | 'redis';
  storage?: 'local' | 's3';
  concurrency?: number;
  /** Sent with every request (e.g. Authorization). */
  headers?: Record<string, string>;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env };
  const server = await startServer({
    pipeline: { home: options.home, database: options.database, state: options.state, storage: options.storage, env },
    server: { host: '127.0.0.1', port: 0, concurrency: options.concurrency ?? 2, env },
    logger: false,
  });
  return {
    ...server,
    home: options.home,
    request: (method, path, body, headers = {}) => send(`${server.url}${path}`, method, body, { ...options.headers, ...headers }),
  };
}

export async function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const raw = typeof body === 'string' || Buffer.isBuffer(body);
  const response = await fetch(url, {
    method,
    headers: body === undefined || raw ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : raw ? (body as string | Buffer) : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown ;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Polls until `done` holds for a response (or fails after `timeoutMs`). */
export async function pollUntil(fetchOnce: () => Promise<ApiResponse>, done: (r: ApiResponse) => boolean, timeoutMs = 30_000): Promise<ApiResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetchOnce();
    if (done(response)) return response;
    if (Date.now() > deadline) throw new Error(`still not done after ${timeoutMs} ms: ${response.status} ${response.text.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
