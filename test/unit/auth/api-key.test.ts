import { describe, expect, it } from "vitest";
import { DISPLAY_PREFIX_LENGTH, displayPrefix, generateApiKey, hashApiKey, isApiKeyShaped } from "../../../src/auth/api-key";
import { adminKeyOf, readBearer } from "../../../src/auth/authenticate";
import { AppError } from "../../../src/errors";

describe("API keys", () => {
  it("are sk_ and 32 random bytes in base64url, never the same twice", () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    for (const key of keys) {
      expect(key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
      expect(isApiKeyShaped(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
    expect(displayPrefix(keys[0]!)).toHaveLength(DISPLAY_PREFIX_LENGTH);
    expect(isApiKeyShaped("sk_short")).toBe(false);
    expect(isApiKeyShaped(`pk_${"a".repeat(43)}`)).toBe(false);
  });

  it("are stored as their SHA-256 in hex", async () => {
    expect(await hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("readBearer", () => {
  it("reads the token of a Bearer header, scheme in any case", () => {
    expect(readBearer("Bearer sk_abc")).toBe("sk_abc");
    expect(readBearer("bearer   sk_abc ")).toBe("sk_abc");
    expect(readBearer(undefined)).toBeUndefined();
    expect(readBearer("")).toBeUndefined();
  });

  it("refuses other schemes and malformed headers with a 401 that does not echo them", () => {
    const cases: Array<[string, string]> = [["Basic dXNlcjpwYXNz", "dXNlcjpwYXNz"], ["Bearer", "Bearer"], ["Bearer sk_one sk_two", "sk_one"], ["sk_abc", "sk_abc"]];
    for (const [header, secret] of cases) {
      const error = (() => {
        try {
          readBearer(header);
        } catch (e) {
          return e;
        }
      })();
      expect(error, header).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("unauthorized");
      if (secret !== "Bearer") expect((error as AppError).message).not.toContain(secret);
    }
  });
});

describe("adminKeyOf", () => {
  it("takes a key of 16 characters or more, and says what is wrong otherwise", () => {
    expect(adminKeyOf({ ADMIN_API_KEY: "0123456789abcdef" })).toEqual({ key: "0123456789abcdef" });
    expect(adminKeyOf({})).toEqual({ problem: "ADMIN_API_KEY is not set" });
    expect(adminKeyOf({ ADMIN_API_KEY: "   " })).toEqual({ problem: "ADMIN_API_KEY is not set" });
    expect(adminKeyOf({ ADMIN_API_KEY: "short" })).toMatchObject({ problem: expect.stringContaining("shorter than 16") });
  });
});
