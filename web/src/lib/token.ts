const KEY = 'dataops.token';

/** The bearer token lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie. */
export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // storage disabled: the token stays in memory only
  }
}
