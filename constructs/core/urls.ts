/** URLs that carry credentials, and how to show them without the credentials. */

/**
 * When `url` carries credentials in its user-info (`https://user:token@host/…`, or a token
 * as the user, `https://ghp_…@github.com/…`), the URL with the user-info replaced by `***`,
 * to show in a message; `undefined` for a URL without (`ssh://git@github.com/…` has a user
 * and no password: that is not a credential).
 */
export function urlWithoutCredentials(url: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(url);
  if (!match) return undefined;
  const [whole, scheme = '', userInfo = ''] = match;
  const hasPassword = userInfo.includes(':');
  // A user name alone is a credential when it is a token: long, or in a token format.
  const tokenAsUser = !hasPassword && (userInfo.length >= 20 || /^(gh[pousr]_|github_pat_|glpat-|x-access-token|oauth2)/i.test(userInfo));
  if (!hasPassword && !tokenAsUser) return undefined;
  return `${scheme}***@${url.slice(whole.length)}`;
}
