/**
 * Checks a URL a user gives the service to call (a task's model base URL, a webhook
 * target) before anything is sent to it, so a key holder cannot make the Worker reach
 * addresses that are not public: loopback, private and link-local ranges (cloud metadata
 * at 169.254.169.254 among them), `localhost` and names that only resolve inside a
 * network. Only http(s), no credentials in the URL. Local stacks set
 * ALLOW_PRIVATE_URLS=true to reach SimLM and test receivers on 127.0.0.1.
 *
 * A hostname is checked as written: a public name that resolves to a private address
 * (a DNS record pointing at 127.0.0.1, or DNS rebinding) is not caught here, since a
 * Worker cannot resolve a name before fetching it. The check keeps literal private
 * addresses and internal names out; what the runtime's own network can reach beyond
 * that is the deployment's to restrict (docs/security.md).
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
  // WHATWG URL parsing has already turned every IPv4 spelling (hex, octal, a single
  // decimal number, short forms, percent-escapes, full-width digits) into a dotted quad
  // and compressed IPv6; trailing dots would still resolve to the same name.
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  if (host.includes(":")) return isNonPublicIPv6(host) ? `must point at a public address, not ${host}` : null;
  const v4 = parseIPv4(host);
  if (v4) return isNonPublicIPv4(v4) ? `must point at a public address, not ${host}` : null;
  if (isInternalName(host)) return `must point at a public host, not '${host}'`;
  return null;
}

const INTERNAL_SUFFIXES = [".localhost", ".localdomain", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".corp"];

function isInternalName(host: string): boolean {
  if (host === "" || host === "localhost" || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return true;
  // A single label ("metadata", "db") only resolves through a local search domain.
  return !host.includes(".");
}

/** The four octets of a dotted-quad address (decimal only; WHATWG URL parsing already normalised the other forms). */
function parseIPv4(host: string): number[] | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Every IPv4 range that is not publicly routable (IANA special-purpose registry). */
export function isNonPublicIPv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata (169.254.169.254)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved, broadcast
  );
}

/** The eight 16-bit groups of an IPv6 address as URL serialises it (compressed, lowercase, no embedded dotted quad). */
function parseIPv6(host: string): number[] | null {
  const halves = host.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)) : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...new Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  return all.length === 8 && all.every((g) => Number.isInteger(g)) ? all : null;
}

const ipv4Of = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];

/**
 * Only global unicast (2000::/3) is public, less documentation and Teredo; an address
 * that embeds an IPv4 one (mapped, translated, NAT64, 6to4) is judged by that address.
 */
export function isNonPublicIPv6(host: string): boolean {
  const g = parseIPv6(host);
  if (!g) return true;
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (zeroPrefix && g4 === 0 && g5 === 0xffff) return isNonPublicIPv4(ipv4Of(g6, g7)); // ::ffff:0:0/96, IPv4-mapped
  if (zeroPrefix && g4 === 0xffff && g5 === 0) return isNonPublicIPv4(ipv4Of(g6, g7)); // ::ffff:0:0:0/96, IPv4-translated
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isNonPublicIPv4(ipv4Of(g6, g7)); // NAT64
  if (g0 === 0x2002) return isNonPublicIPv4(ipv4Of(g1, g2)); // 6to4
  if ((g0 & 0xe000) !== 0x2000) return true; // loopback, ::/96, ULA fc00::/7, link-local fe80::/10, multicast, ...
  return (g0 === 0x2001 && g1 === 0x0db8) || (g0 === 0x2001 && g1 === 0); // documentation, Teredo
}
