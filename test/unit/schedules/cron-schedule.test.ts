import { describe, expect, it } from "vitest";
import { MIN_SCHEDULE_INTERVAL_MINUTES, cronProblem, isTimeZone, nextRunAfter, shortestGap } from "../../../src/schedules/cron-schedule";

const at = (iso: string) => Date.parse(iso);
const utc = (cron: string) => ({ cron, timezone: "UTC" });
const FROM = at("2026-03-02T10:07:30Z"); // a Monday

describe("nextRunAfter", () => {
  it("is the first occurrence strictly after the instant", () => {
    expect(nextRunAfter(utc("*/15 * * * *"), FROM)).toBe(at("2026-03-02T10:15:00Z"));
    expect(nextRunAfter(utc("0 3 * * *"), FROM)).toBe(at("2026-03-03T03:00:00Z"));
    // An instant exactly on an occurrence moves past it: the tick that claims 10:15 schedules 10:30.
    expect(nextRunAfter(utc("*/15 * * * *"), at("2026-03-02T10:15:00Z"))).toBe(at("2026-03-02T10:30:00Z"));
  });

  it("turns any backlog into one next time: counting from now skips the missed occurrences", () => {
    // Due at 10:15, but the Worker was down until 13:02: the next time is 13:15, not 10:30.
    expect(nextRunAfter(utc("*/15 * * * *"), at("2026-03-02T13:02:00Z"))).toBe(at("2026-03-02T13:15:00Z"));
  });

  it("reads the fields in the schedule's time zone, across daylight saving", () => {
    const berlin = { cron: "0 3 * * *", timezone: "Europe/Berlin" };
    expect(nextRunAfter(berlin, FROM)).toBe(at("2026-03-03T02:00:00Z")); // CET, UTC+1
    expect(nextRunAfter(berlin, at("2026-04-01T12:00:00Z"))).toBe(at("2026-04-02T01:00:00Z")); // CEST, UTC+2
  });

  it("understands nicknames and day names", () => {
    expect(nextRunAfter(utc("@daily"), FROM)).toBe(at("2026-03-03T00:00:00Z"));
    expect(nextRunAfter(utc("30 9 * * SAT"), FROM)).toBe(at("2026-03-07T09:30:00Z"));
  });

  it("is null for a pattern that never fires", () => {
    expect(nextRunAfter(utc("0 0 30 2 *"), FROM)).toBeNull();
  });
});

describe("cronProblem", () => {
  it("accepts usual schedules", () => {
    for (const cron of ["0 3 * * *", "*/15 * * * *", "@hourly", "@weekly", "0 9 * * MON-FRI", " 0 3 * * * "]) expect(cronProblem(utc(cron), FROM), cron).toBeNull();
  });

  it("names the cron field for what is not a five-field expression", () => {
    for (const cron of ["bogus", "* * * *", "0 0 3 * * *", "0 0 * * * 2027", "2026-03-03T03:00:00", "@reboot", "@sometimes"]) {
      expect(cronProblem(utc(cron), FROM), cron).toMatchObject({ field: "cron" });
    }
    expect(cronProblem(utc("61 * * * *"), FROM)?.message).toMatch(/minute: 61/);
  });

  it("refuses a pattern that never fires", () => {
    expect(cronProblem(utc("0 0 30 2 *"), FROM)).toMatchObject({ field: "cron", message: expect.stringMatching(/never fires/) });
  });

  it(`refuses runs closer than ${MIN_SCHEDULE_INTERVAL_MINUTES} minutes, even when only some are`, () => {
    expect(cronProblem(utc("* * * * *"), FROM)).toMatchObject({ field: "cron", message: expect.stringMatching(/fires 1 minute apart.*every 15 minutes/) });
    expect(cronProblem(utc("*/10 * * * *"), FROM)?.message).toMatch(/10 minutes apart/);
    // Daily, but two runs five minutes apart each day.
    expect(cronProblem(utc("0,5 9 * * *"), FROM)?.message).toMatch(/5 minutes apart/);
    expect(cronProblem(utc(`*/${MIN_SCHEDULE_INTERVAL_MINUTES} * * * *`), FROM)).toBeNull();
  });

  it("names the timezone field for an unknown zone", () => {
    expect(cronProblem({ cron: "0 3 * * *", timezone: "Mars/Olympus" }, FROM)).toMatchObject({ field: "timezone" });
    expect(cronProblem({ cron: "0 3 * * *", timezone: "America/New_York" }, FROM)).toBeNull();
  });
});

describe("helpers", () => {
  it("shortestGap finds the closest pair", () => {
    expect(shortestGap([0, 10, 15, 40])).toBe(5);
    expect(shortestGap([7])).toBeNull();
  });

  it("isTimeZone knows IANA names only", () => {
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Asia/Tokyo")).toBe(true);
    expect(isTimeZone("Nowhere/City")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
