// Signs in to a running tas through the JSON API, for the benchmarks'
// clients: { cookie, csrf } (the Cookie header value of the session, and
// its CSRF token for writes), or exits saying why, prefixed by who.
export async function signIn(who, base, username, password) {
  const res = await fetch(`${base}/api/v1/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const me = await res.json().catch(() => ({}));
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0])
    .find((c) => c.startsWith('tas_session='));
  if (res.status !== 200 || !cookie || !me.csrf) {
    console.error(`${who}: sign-in as ${username} failed (${res.status})`);
    process.exit(1);
  }
  return { cookie, csrf: me.csrf };
}
