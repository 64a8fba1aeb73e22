/*
 * scheduler/net.c: what the network may do for a run.  A --url is checked
 * with libcurl's own URL parser before anything runs (http and https only);
 * the proxy libcurl will take for a URL from the environment is worked out
 * for the report, by libcurl's rules, since the libcurl we build on (7.88)
 * cannot say which proxy a transfer used (CURLINFO_USED_PROXY is 8.7).
 */
#define _GNU_SOURCE
#include "internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base.h"

/* Check that url is an absolute http or https URL with a host, and
 * neither query nor fragment: it is a base that paths are added to. */
int
gt_url_check(const char *url, char **cause)
{
  CURLU *u = curl_url();
  CURLUcode uc;
  char *scheme = NULL, *host = NULL, *plain = gt_url_shown(url);
  char *shown = gt_xescape(plain);
  int rc = 0;

  if (u == NULL)
    abort();  /* out of memory, as gt_xmalloc */
  uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
  if (uc != CURLUE_OK) {
    gt_set_cause(cause, "'%s' is not a URL (%s); expected "
        "http://HOST[:PORT][/PATH] or https://...", shown,
        curl_url_strerror(uc));
    rc = GT_EUSAGE;
    goto out;
  }
  if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK
      || (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
    gt_set_cause(cause, "'%s': the scheme is '%s'; only http:// and "
        "https:// URLs are fetched", shown, scheme ? scheme : "");
    rc = GT_EUSAGE;
    goto out;
  }
  if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK
      || host[0] == '\0') {
    gt_set_cause(cause, "'%s' names no host; expected "
        "http://HOST[:PORT][/PATH] or https://...", shown);
    rc = GT_EUSAGE;
    goto out;
  }
  if (strpbrk(url, "?#") != NULL) {
    gt_set_cause(cause, "'%s' has a %s; expected a base URL, "
        "http://HOST[:PORT][/PATH] or https://..., that paths such as "
        "/genre?i=0 are added to", shown,
        strchr(url, '?') != NULL && (strchr(url, '#') == NULL
        || strchr(url, '?') < strchr(url, '#')) ? "query ('?')"
        : "fragment ('#')");
    rc = GT_EUSAGE;
    goto out;
  }
out:
  curl_free(scheme);
  curl_free(host);
  curl_url_cleanup(u);
  free(shown);
  free(plain);
  return rc;
}

/* 1 when ip (IPv4 or IPv6 text, family af) is inside net/bits, as
 * libcurl's Curl_cidr4_match and Curl_cidr6_match. */
static int
cidr_match(int af, const char *ip, const char *net, unsigned bits)
{
  unsigned char a[16], b[16];
  unsigned max = af == AF_INET ? 32 : 128, bytes, rest;

  if (bits == 0)
    bits = max;
  if (bits > max)
    return 0;
  if (inet_pton(af, ip, a) != 1 || inet_pton(af, net, b) != 1)
    return 0;
  bytes = bits / 8;
  rest = bits % 8;
  if (memcmp(a, b, bytes) != 0)
    return 0;
  return rest == 0
      || ((a[bytes] ^ b[bytes]) & (unsigned char)(0xff00u >> rest)) == 0;
}

/* 1 when host matches the no_proxy list, by libcurl 7.88's
 * Curl_check_noproxy: "*" alone matches all; a name matches itself and
 * its subdomains (a leading or trailing dot ignored); an address matches
 * an address or a CIDR range. */
static int
noproxy_match(const char *host, const char *list)
{
  char name[256], tok[256];
  const char *p = list;
  size_t namelen, toklen;
  int af = 0, match;
  unsigned char addr[16];

  if (list == NULL || list[0] == '\0')
    return 0;
  if (strcmp(list, "*") == 0)
    return 1;
  namelen = strlen(host);
  if (host[0] == '[' && namelen > 2 && host[namelen - 1] == ']') {
    host++;
    namelen -= 2;
  }
  if (namelen == 0 || namelen >= sizeof(name))
    return 0;
  memcpy(name, host, namelen);
  name[namelen] = '\0';
  if (inet_pton(AF_INET, name, addr) == 1)
    af = AF_INET;
  else if (inet_pton(AF_INET6, name, addr) == 1)
    af = AF_INET6;
  else if (name[namelen - 1] == '.')
    name[--namelen] = '\0';
  while (*p != '\0') {
    const char *t;

    while (*p == ' ' || *p == '\t')
      p++;
    t = p;
    while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
      p++;
    toklen = (size_t)(p - t);
    if (toklen > 0 && toklen < sizeof(tok)) {
      memcpy(tok, t, toklen);
      tok[toklen] = '\0';
      if (af == 0) {
        char *tk = tok;

        if (toklen > 0 && tk[toklen - 1] == '.')
          tk[--toklen] = '\0';
        if (toklen > 0 && tk[0] == '.') {
          tk++;
          toklen--;
        }
        if (toklen == namelen)
          match = strcasecmp(tk, name) == 0;
        else if (toklen < namelen)
          match = name[namelen - toklen - 1] == '.'
              && strcasecmp(tk, name + (namelen - toklen)) == 0;
        else
          match = 0;
      } else {
        char *slash = strchr(tok, '/');
        unsigned bits = 0;

        if (slash != NULL) {
          bits = (unsigned)atoi(slash + 1);
          *slash = '\0';
        }
        match = cidr_match(af, name, tok, bits);
      }
      if (match)
        return 1;
    }
    while (*p == ' ' || *p == '\t')
      p++;
    if (*p != ',')
      break;
    while (*p == ',')
      p++;
  }
  return 0;
}

/* The variables libcurl reads a proxy from, in order, for http and https
 * (the only schemes fetched: gt_url_check). */
static const char *const proxy_vars[2][4] = {
  { "http_proxy", "all_proxy", "ALL_PROXY", NULL },
  { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" },
};

/* A variable as libcurl's curl_getenv() reads it: an empty value is the
 * same as none, so the next variable in turn is read. */
static const char *
curl_env(const char *name)
{
  const char *v = getenv(name);

  return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The proxy libcurl takes from the environment for url, by libcurl 7.88's
 * rules (lib/url.c detect_proxy): no_proxy (or NO_PROXY) first; then
 * SCHEME_proxy in lower case (for https, HTTPS_PROXY too; never
 * HTTP_PROXY, which a CGI's client could set), then all_proxy or
 * ALL_PROXY.  Each is read with curl_getenv(), to which an empty
 * variable is unset: "http_proxy= all_proxy=P" goes through P, and
 * "no_proxy= NO_PROXY=*" goes direct. */
char *
gt_url_proxy(const char *url, const char **var)
{
  CURLU *u = curl_url(), *pu = NULL;
  char *scheme = NULL, *host = NULL, *pscheme = NULL, *phost = NULL;
  char *pport = NULL, *out = NULL, *plain = NULL;
  const char *noproxy, *proxy;
  size_t i;

  *var = NULL;
  if (u == NULL)
    abort();
  if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK
      || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK
      || curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
    goto out;
  noproxy = curl_env("no_proxy");
  if (noproxy == NULL)
    noproxy = curl_env("NO_PROXY");
  if (noproxy_match(host, noproxy))
    goto out;
  if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
    goto out;
  proxy = NULL;
  for (i = 0; i < 4 && proxy == NULL; i++) {
    *var = proxy_vars[scheme[4] == 's'][i];
    if (*var != NULL)
      proxy = curl_env(*var);
  }
  if (proxy == NULL) {
    *var = NULL;
    goto out;
  }
  /* Shown without its user and password: scheme, host and port only.  A
   * proxy without a scheme is an HTTP one to libcurl (the URL API would
   * default to https). */
  pu = curl_url();
  plain = strstr(proxy, "://") == NULL ? gt_xasprintf("http://%s", proxy)
      : NULL;
  if (pu != NULL
      && curl_url_set(pu, CURLUPART_URL, plain ? plain : proxy,
          CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK
      && curl_url_get(pu, CURLUPART_SCHEME, &pscheme, 0) == CURLUE_OK
      && curl_url_get(pu, CURLUPART_HOST, &phost, 0) == CURLUE_OK) {
    if (curl_url_get(pu, CURLUPART_PORT, &pport, 0) == CURLUE_OK)
      out = gt_xasprintf("%s://%s:%s", pscheme, phost, pport);
    else
      out = gt_xasprintf("%s://%s", pscheme, phost);
  } else {
    out = gt_xstrdup("(a proxy libcurl cannot parse)");
  }
out:
  curl_free(scheme);
  curl_free(host);
  curl_free(pscheme);
  curl_free(phost);
  curl_free(pport);
  free(plain);
  curl_url_cleanup(pu);
  curl_url_cleanup(u);
  return out;
}
