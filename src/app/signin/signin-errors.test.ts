import { describe, expect, it } from "vitest";
import { describeSignInError } from "./signin-errors";

describe("describeSignInError", () => {
  it("explains a wrong email or password without saying which", () => {
    expect(describeSignInError("CredentialsSignin")).toBe("Wrong email or password. Check both and try again.");
  });
  it("shows our rate-limit message with the wait kept on one line", () => {
    expect(describeSignInError("Too many attempts, try again in 42 s.")).toBe("Too many attempts, try again in 42\u00a0s.");
  });
  it("never echoes arbitrary text from the URL", () => {
    expect(describeSignInError("Call +1 555 0100 to unlock your account")).toMatch(/^Sign-in failed/);
  });
  it("shows nothing when there is no error", () => {
    expect(describeSignInError(null)).toBeNull();
  });
});
