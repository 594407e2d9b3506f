/**
 * Checks a URL a user gives the service to call (a task's model base URL, a webhook
 * target) before anything is sent to it, so a key holder cannot make the Worker reach
 * addresses that are not public: loopback, private and link-local ranges (cloud metadata
 * at 169.254.169.254 among them), `localhost` and names that only resolve inside a
 * network. Only http(s), no credentials in the URL. Local stacks set
 * ALLOW_PRIVATE_URLS=true to reach SimLM and test receivers on 127.0.0.1.
 *
 * A hostname is checked as written: a public name that resolves to a private address is
 * not caught here (Workers cannot resolve names); on Cloudflare, Workers' fetch does not
 * route to private addresses anyway, and the check keeps literal addresses out of self-hosted runtimes.
 */
import type { AppEnv } from "../env";

/** Why the URL may not be called, or null when it may. */
export function outboundUrlProblem(raw: string, env: Pick<AppEnv, "ALLOW_PRIVATE_URLS">): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute http(s) URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must use http or https";
  if (url.username || url.password) return "must not carry credentials; send them as a key instead";
  if (env.ALLOW_PRIVATE_URLS === "true") return null;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (isInternalName(host)) return `must point at a public host, not '${host}'`;
  const v4 = parseIPv4(host);
  if (v4 && isNonPublicIPv4(v4)) return `must point at a public address, not ${host}`;
  if (host.includes(":") && isNonPublicIPv6(host)) return `must point at a public address, not ${host}`;
  return null;
}

const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp"];

function isInternalName(host: string): boolean {
  if (host === "localhost" || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return true;
  // A single label ("metadata", "db") only resolves through a local search domain.
  return !host.includes(".") && !host.includes(":");
}

/** The four octets of a dotted-quad address (decimal only; WHATWG URL parsing already normalised hex and short forms). */
function parseIPv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

function isNonPublicIPv4([a, b]: number[]): boolean {
  if (a === undefined || b === undefined) return true;
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

function isNonPublicIPv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  // IPv4-mapped (::ffff:a.b.c.d, normalised by URL to ::ffff:xxxx:xxxx): judge the IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const hi = parseInt(mapped[1]!, 16);
    const lo = parseInt(mapped[2]!, 16);
    return isNonPublicIPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  }
  const first = parseInt(host.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast
  );
}
