import { describe, expect, it } from "vitest";
import { generatePassword, hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from "./password";

// Cheaper parameters keep the suite fast; the format and code path are the same.
const FAST = { ln: 10, r: 8, p: 1 };

describe("password hashing (scrypt)", () => {
  it("round-trips with the default parameters and records them in the string", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const hash = await hashPassword("s3cret-passphrase", FAST);
    expect(await verifyPassword("s3cret-passphrasE", hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("salts per hash: the same password hashes differently and both verify", async () => {
    const a = await hashPassword("same-password", FAST);
    const b = await hashPassword("same-password", FAST);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same-password", a)).toBe(true);
    expect(await verifyPassword("same-password", b)).toBe(true);
  });

  it("treats a tampered hash as a mismatch, never as a match or a crash", async () => {
    const hash = await hashPassword("pw-under-test", FAST);
    const [scheme, params, salt, key] = hash.split("$") as [string, string, string, string];
    const flipped = (key[0] === "A" ? "B" : "A") + key.slice(1);
    const tampered = [
      `${scheme}$${params}$${salt}$${flipped}`, // key changed
      `${scheme}$${params}$${"A" + salt.slice(1)}$${key}`, // salt changed
      `${scheme}$ln=11,r=8,p=1$${salt}$${key}`, // cost changed
      `${scheme}$ln=30,r=8,p=1$${salt}$${key}`, // cost out of bounds (would allocate GBs)
      `bcrypt$${params}$${salt}$${key}`,
      "",
      "scrypt$garbage",
    ];
    for (const t of tampered) expect(await verifyPassword("pw-under-test", t), t).toBe(false);
  });

  it("normalises Unicode so the same visible password matches", async () => {
    const hash = await hashPassword("caf\u00e9-passw0rd", FAST);
    expect(await verifyPassword("cafe\u0301-passw0rd", hash)).toBe(true);
  });

  it("dummy verification always fails", async () => {
    expect(await verifyAgainstDummy("anything")).toBe(false);
  });

  it("generates long random passwords that pass the policy", () => {
    const a = generatePassword();
    expect(a).toHaveLength(24);
    expect(a).not.toBe(generatePassword());
    expect(passwordProblem(a)).toBeNull();
    expect(passwordProblem("short")).toMatch(/at least 8/);
  });
});
