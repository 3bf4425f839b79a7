// Turns next-auth's error value into a sentence for the sign-in page. Messages arriving in the
// URL are only shown when they are ours, so a crafted link cannot put arbitrary text here.
const RATE_LIMITED = /^Too many attempts, try again in \d+ s\.$/;
const DISABLED = "This account is disabled; ask an admin to enable it.";
const BUSY = "Sign-in is busy (too many attempts at once); try again in a few seconds.";

export function describeSignInError(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code === "CredentialsSignin") return "Wrong email or password. Check both and try again.";
  if (code === "SessionRequired") return "Please sign in to continue.";
  // A no-break space keeps "898 s" together when the message wraps on a phone.
  if (RATE_LIMITED.test(code)) return code.replace(/(\d+) s\.$/, "$1\u00a0s.");
  if (code === DISABLED || code === BUSY) return code;
  return "Sign-in failed. Try again; if it keeps failing, check the server log.";
}
