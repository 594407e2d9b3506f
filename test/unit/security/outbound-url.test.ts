import { describe, expect, it } from "vitest";
import { outboundUrlProblem } from "../../../src/security/outbound-url";

const deployed = { ALLOW_PRIVATE_URLS: "false" };
const local = { ALLOW_PRIVATE_URLS: "true" };
const problem = (url: string) => outboundUrlProblem(url, deployed);

describe("outboundUrlProblem", () => {
  it("accepts public http(s) URLs, names and addresses", () => {
    for (const url of [
      "https://api.openai.com/v1",
      "http://example.com:8080/hooks?x=1",
      "https://openrouter.ai/api/v1",
      "https://8.8.8.8/",
      "https://1.1.1.1:443/v1",
      "https://172.32.0.1/", // just past 172.16/12
      "https://100.128.0.1/", // just past carrier-grade NAT
      "https://192.0.1.1/", // between the reserved 192.0.0/24 and 192.0.2/24
      "https://[2606:4700:4700::1111]/",
      "https://[::ffff:8.8.8.8]/", // IPv4-mapped, public inside
      "https://xn--bcher-kva.example/", // IDN
    ]) {
      expect(problem(url), url).toBeNull();
    }
  });

  it("refuses other schemes, relative URLs and credentials, even when private addresses are allowed", () => {
    for (const env of [deployed, local]) {
      expect(outboundUrlProblem("ftp://example.com/", env)).toBe("must use http or https");
      expect(outboundUrlProblem("file:///etc/passwd", env)).toBe("must use http or https");
      expect(outboundUrlProblem("javascript:alert(1)", env)).toBe("must use http or https");
      expect(outboundUrlProblem("data:text/plain,hi", env)).toBe("must use http or https");
      expect(outboundUrlProblem("/v1/chat", env)).toBe("must be an absolute http(s) URL");
      expect(outboundUrlProblem("not a url", env)).toBe("must be an absolute http(s) URL");
      expect(outboundUrlProblem("https://user:pass@example.com/", env)).toMatch(/credentials/);
      expect(outboundUrlProblem("https://token@example.com/", env)).toMatch(/credentials/);
    }
  });

  it("refuses every private, loopback, link-local and reserved IPv4 range", () => {
    for (const host of [
      "0.0.0.0",
      "10.0.0.1",
      "10.255.255.255",
      "127.0.0.1",
      "127.255.255.254",
      "100.64.0.1",
      "100.127.255.255",
      "169.254.169.254", // cloud metadata
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "192.0.0.8",
      "192.0.2.1",
      "192.88.99.1",
      "198.18.0.1",
      "198.19.255.255",
      "198.51.100.7",
      "203.0.113.9",
      "224.0.0.1",
      "239.255.255.250",
      "240.0.0.1",
      "255.255.255.255",
    ]) {
      expect(problem(`http://${host}/`), host).toBe(`must point at a public address, not ${host}`);
    }
  });

  it("sees through the IPv4 spellings WHATWG URL normalises: decimal, hex, octal, short forms, escapes, trailing dots", () => {
    for (const url of [
      "http://2130706433/", // 127.0.0.1 as one number
      "http://0x7f000001/",
      "http://0x7f.0.0.1/",
      "http://0177.0.0.1/", // octal
      "http://017700000001/",
      "http://127.1/", // short form
      "http://127.0.1/",
      "http://127.0.0.%31/", // percent-escaped
      "http://127.0.0.1./", // trailing dot
      "http://127.0.0.1../",
      "http://１２７.０.０.１/", // full-width digits
      "http://0xa9.0xfe.0xa9.0xfe/", // 169.254.169.254
      "http://2852039166/", // 169.254.169.254
      "http://0/",
      "http://10.1/",
    ]) {
      expect(problem(url), url).toMatch(/^must point at a public address, not \d+\.\d+\.\d+\.\d+$/);
    }
  });

  it("refuses IPv6 loopback, unspecified, ULA, link-local, site-local, multicast, documentation and embedded private IPv4", () => {
    for (const host of [
      "::1",
      "::",
      "0:0:0:0:0:0:0:1",
      "fc00::1",
      "fd12:3456:789a::1",
      "fe80::1",
      "febf::1",
      "fec0::1",
      "ff02::1",
      "2001:db8::1",
      "2001:0:4136:e378::1", // Teredo
      "::ffff:127.0.0.1", // IPv4-mapped
      "::ffff:7f00:1",
      "::ffff:10.0.0.1",
      "::ffff:169.254.169.254",
      "::127.0.0.1", // IPv4-compatible (deprecated)
      "::ffff:0:127.0.0.1", // IPv4-translated
      "64:ff9b::10.0.0.1", // NAT64
      "2002:7f00:1::", // 6to4 of 127.0.0.1
      "2002:c0a8:101::1", // 6to4 of 192.168.1.1
      "100::1", // discard prefix
    ]) {
      expect(problem(`http://[${host}]:8080/`), host).toMatch(/^must point at a public address, not /);
    }
  });

  it("refuses localhost and names that resolve only inside a network", () => {
    for (const host of [
      "localhost",
      "LOCALHOST",
      "localhost.",
      "localhost..",
      "api.localhost",
      "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ", // IDNA maps it to "localhost"
      "localhost.localdomain",
      "printer.local",
      "metadata.google.internal",
      "db.intranet",
      "nas.lan",
      "router.home.arpa",
      "git.corp",
      "metadata", // a single label only resolves through a search domain
      "instance-data",
      "simlm",
    ]) {
      expect(problem(`http://${host}:8788/v1`), host).toMatch(/^must point at a public host, not '/);
    }
  });

  it("names the problem host in its normalised form", () => {
    expect(problem("http://0x7f.1/")).toBe("must point at a public address, not 127.0.0.1");
    expect(problem("http://[::FFFF:127.0.0.1]/")).toBe("must point at a public address, not ::ffff:7f00:1");
    expect(problem("http://LocalHost./")).toBe("must point at a public host, not 'localhost'");
  });

  it("allows private addresses only when ALLOW_PRIVATE_URLS is exactly \"true\"", () => {
    for (const url of ["http://127.0.0.1:8788/v1", "http://localhost:8788/v1", "http://[::1]/", "http://10.0.0.5/", "http://simlm/"]) {
      expect(outboundUrlProblem(url, local), url).toBeNull();
      for (const value of [undefined, "false", "TRUE", "1", "yes", ""]) {
        expect(outboundUrlProblem(url, { ALLOW_PRIVATE_URLS: value }), `${url} with ${String(value)}`).not.toBeNull();
      }
    }
  });
});
