//! Registry authentication: `WWW-Authenticate` challenge parsing, Bearer token fetch,
//! and a per-scope token cache.
//!
//! Flow: requests go out anonymous until the registry answers 401. The challenge then
//! says how to authenticate: `Bearer realm=…,service=…` (fetch a token from the realm
//! for our scope, sending stored credentials as HTTP Basic if there are any) or
//! `Basic realm=…` (send stored credentials on every request). Tokens are cached per
//! scope until shortly before they expire.
//!
//! Invariants: the mutex is never held across network I/O; stored credentials are
//! only sent to the registry itself or to the token realm it named, and never over
//! plain http to a non-loopback realm unless the user turned TLS verification off.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::client::{is_loopback, with_retries};
use super::credentials::{basic_header, lookup_credentials};
use super::{Ctx, RegistryError, RegistryOptions};

/// Largest token response read.
const MAX_TOKEN_RESPONSE: u64 = 1 << 20;
/// Token lifetime when the response does not say (and the minimum, as Docker does).
const MIN_TOKEN_LIFETIME: u64 = 60;
/// Renew a token this long before it expires.
const EXPIRY_MARGIN: Duration = Duration::from_secs(10);

/// One parsed challenge: a lowercased scheme and its parameters (names lowercased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parse a `WWW-Authenticate` value, which may hold several challenges:
/// `Bearer realm="https://a/token",service="a",scope="repository:x:pull,push", Basic realm="r"`.
pub(crate) fn parse_challenges(header: &str) -> Result<Vec<Challenge>, String> {
    let mut p = Parser {
        s: header.as_bytes(),
        i: 0,
    };
    let mut out: Vec<Challenge> = Vec::new();
    loop {
        p.skip(|c| c == b',' || c.is_ascii_whitespace());
        if p.done() {
            break;
        }
        let scheme = p.token();
        if scheme.is_empty() {
            return Err(format!(
                "unexpected character at offset {} in {header:?}",
                p.i
            ));
        }
        let mut ch = Challenge {
            scheme: scheme.to_ascii_lowercase(),
            params: Vec::new(),
        };
        while let Some((name, value)) = p.param()? {
            ch.params.push((name.to_ascii_lowercase(), value));
        }
        out.push(ch);
    }
    if out.is_empty() {
        return Err("empty WWW-Authenticate header".to_string());
    }
    Ok(out)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn skip(&mut self, f: impl Fn(u8) -> bool) {
        while self.peek().is_some_and(&f) {
            self.i += 1;
        }
    }

    /// An RFC 7230 token (also accepting `/` and `:` so unquoted URLs survive).
    fn token(&mut self) -> String {
        let start = self.i;
        self.skip(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~/:".contains(&c));
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    /// The next `name=value` of the current challenge, or `None` when the next item
    /// starts a new challenge (a token not followed by `=`) or the input ends.
    fn param(&mut self) -> Result<Option<(String, String)>, String> {
        let save = self.i;
        self.skip(|c| c == b',' || c.is_ascii_whitespace());
        let name = self.token();
        self.skip(|c| c == b' ' || c == b'\t');
        if name.is_empty() || self.peek() != Some(b'=') {
            self.i = save;
            return Ok(None);
        }
        self.i += 1;
        self.skip(|c| c == b' ' || c == b'\t');
        let value = if self.peek() == Some(b'"') {
            self.quoted()?
        } else {
            self.token()
        };
        // token68 padding (`Negotiate abc==`): not a parameter we use, but not an error.
        self.skip(|c| c == b'=');
        Ok(Some((name, value)))
    }

    fn quoted(&mut self) -> Result<String, String> {
        self.i += 1;
        let mut v = Vec::new();
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'"' => return Ok(String::from_utf8_lossy(&v).into_owned()),
                b'\\' => {
                    if let Some(n) = self.peek() {
                        v.push(n);
                        self.i += 1;
                    }
                }
                _ => v.push(c),
            }
        }
        Err("unterminated quoted string".to_string())
    }
}

/// How the registry asked to be authenticated.
#[derive(Debug, Clone)]
enum Method {
    Bearer,
    Basic(String),
}

struct Token {
    header: String,
    expires: Instant,
}

#[derive(Default)]
struct State {
    method: Option<Method>,
    tokens: HashMap<String, Token>,
}

/// Authentication state for one registry host, shared by all threads of a client.
pub(crate) struct Authenticator {
    host: String,
    opts: RegistryOptions,
    state: Mutex<State>,
}

impl Authenticator {
    /// `host` is the registry name credentials are stored under (`docker.io`).
    pub fn new(host: &str, opts: &RegistryOptions) -> Authenticator {
        Authenticator {
            host: host.to_string(),
            opts: opts.clone(),
            state: Mutex::new(State::default()),
        }
    }

    /// The `Authorization` value to send for `scope` now, if any (no network).
    pub fn authorization(&self, scope: &str) -> Option<String> {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match &st.method {
            Some(Method::Basic(h)) => Some(h.clone()),
            Some(Method::Bearer) => st
                .tokens
                .get(scope)
                .filter(|t| Instant::now() < t.expires)
                .map(|t| t.header.clone()),
            None => None,
        }
    }

    /// Answer a 401 whose `WWW-Authenticate` values are `headers`: obtain fresh
    /// authorization for `scope`, so the caller can retry once.
    pub fn authenticate(
        &self,
        agent: &Http,
        ctx: &Ctx,
        headers: &[&str],
        scope: &str,
    ) -> Result<(), RegistryError> {
        let mut challenges = Vec::new();
        for h in headers {
            challenges.extend(parse_challenges(h).map_err(|e| ctx.bad_challenge(&self.host, e))?);
        }
        if challenges.is_empty() {
            return Err(ctx.bad_challenge(&self.host, "401 without a WWW-Authenticate header"));
        }
        let creds = lookup_credentials(&self.host, &self.opts)?;
        if let Some(bearer) = challenges.iter().find(|c| c.scheme == "bearer") {
            let token = self.fetch_token(agent, ctx, bearer, scope, creds.as_ref())?;
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            st.method = Some(Method::Bearer);
            st.tokens.insert(scope.to_string(), token);
            return Ok(());
        }
        if challenges.iter().any(|c| c.scheme == "basic") {
            let (user, pass) = creds.ok_or_else(|| RegistryError::CredentialsRequired {
                step: ctx.step,
                target: ctx.target.clone(),
                host: self.host.clone(),
            })?;
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            st.method = Some(Method::Basic(basic_header(&user, &pass)));
            return Ok(());
        }
        let schemes: Vec<&str> = challenges.iter().map(|c| c.scheme.as_str()).collect();
        Err(ctx.bad_challenge(
            &self.host,
            format!("unsupported authentication scheme {}", schemes.join(", ")),
        ))
    }

    /// GET realm?service=…&scope=… and read `token` or `access_token`.
    fn fetch_token(
        &self,
        http: &Http,
        ctx: &Ctx,
        ch: &Challenge,
        scope: &str,
        creds: Option<&(String, String)>,
    ) -> Result<Token, RegistryError> {
        let tctx = Ctx::new(super::Step::Token, ctx.target.clone());
        let realm = ch.param("realm").filter(|r| !r.is_empty());
        let realm = realm
            .ok_or_else(|| ctx.bad_challenge(&self.host, "Bearer challenge without a realm"))?;
        let realm_host = url_host(realm)
            .ok_or_else(|| ctx.bad_challenge(&self.host, format!("bad realm {realm:?}")))?;
        let plain = realm.starts_with("http://");
        if plain
            && creds.is_some()
            && !is_loopback(realm_host)
            && self.opts.tls_verify != Some(false)
        {
            let why = format!("refusing to send credentials to plain-http realm {realm}");
            return Err(ctx.bad_challenge(&self.host, why));
        }
        let result = with_retries(http.backoff, || {
            let mut req = http.agent.get(realm);
            if let Some(s) = ch.param("service") {
                req = req.query("service", s);
            }
            for s in scope.split(' ').filter(|s| !s.is_empty()) {
                req = req.query("scope", s);
            }
            if let Some((u, p)) = creds {
                req = req.set("Authorization", &basic_header(u, p));
            }
            req.call().map_err(Box::new)
        });
        let resp = match result.map_err(|e| *e) {
            Ok(r) => r,
            Err(ureq::Error::Status(status, r)) => return Err(tctx.status(status, &read_small(r))),
            Err(ureq::Error::Transport(t)) => return Err(tctx.transport(realm_host, &t)),
        };
        #[derive(serde::Deserialize)]
        struct Body {
            token: Option<String>,
            access_token: Option<String>,
            expires_in: Option<u64>,
        }
        let mut bytes = Vec::new();
        let read = resp
            .into_reader()
            .take(MAX_TOKEN_RESPONSE)
            .read_to_end(&mut bytes);
        read.map_err(|e| tctx.bad_response(realm_host, format!("reading token: {e}")))?;
        let body: Body = serde_json::from_slice(&bytes).map_err(|e| {
            tctx.bad_response(realm_host, format!("token response is not JSON: {e}"))
        })?;
        let value = [body.token, body.access_token]
            .into_iter()
            .flatten()
            .find(|t| !t.is_empty());
        let value =
            value.ok_or_else(|| tctx.bad_response(realm_host, "token response without a token"))?;
        let lifetime = Duration::from_secs(body.expires_in.unwrap_or(0).max(MIN_TOKEN_LIFETIME));
        Ok(Token {
            header: format!("Bearer {value}"),
            expires: Instant::now() + lifetime - EXPIRY_MARGIN,
        })
    }
}

/// The agent and retry policy to make token requests with.
pub(crate) struct Http<'a> {
    pub agent: &'a ureq::Agent,
    pub backoff: &'a [Duration],
}

/// Read up to 64 KiB of an error response body.
pub(crate) fn read_small(resp: ureq::Response) -> Vec<u8> {
    let mut body = Vec::new();
    // An unreadable error body only costs us the detail of the message.
    let _ = resp.into_reader().take(64 << 10).read_to_end(&mut body);
    body
}

/// `host[:port]` of an absolute http(s) URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Challenge {
        let mut v = parse_challenges(s).unwrap();
        assert_eq!(v.len(), 1, "{v:?}");
        v.remove(0)
    }

    #[test]
    fn parses_docker_hub_bearer() {
        let c = one(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull""#,
        );
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c.param("service"), Some("registry.docker.io"));
        assert_eq!(c.param("scope"), Some("repository:library/busybox:pull"));
    }

    #[test]
    fn parses_quoted_commas_case_and_spaces() {
        let c = one(
            r#"BEARER Realm = "https://a/t?x=1,2" ,  scope="repository:a:pull,push",service=reg"#,
        );
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.param("realm"), Some("https://a/t?x=1,2"));
        assert_eq!(c.param("scope"), Some("repository:a:pull,push"));
        assert_eq!(c.param("service"), Some("reg"));
        let c = one(r#"Basic realm="say \"hi\"""#);
        assert_eq!(
            (c.scheme.as_str(), c.param("realm")),
            ("basic", Some(r#"say "hi""#))
        );
        let c = one("Bearer realm=https://a.io/token");
        assert_eq!(c.param("realm"), Some("https://a.io/token"));
    }

    #[test]
    fn parses_several_challenges() {
        let v = parse_challenges(
            r#"Bearer realm="https://a/t",scope="x:y:pull,push", Basic realm="r", Negotiate"#,
        )
        .unwrap();
        let schemes: Vec<&str> = v.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["bearer", "basic", "negotiate"]);
        assert_eq!(v[0].param("scope"), Some("x:y:pull,push"));
        assert_eq!(v[1].param("realm"), Some("r"));
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_challenges("").is_err());
        assert!(parse_challenges("   ").is_err());
        assert!(parse_challenges(r#"Bearer realm="unterminated"#).is_err());
        assert!(parse_challenges("=oops").is_err());
    }

    #[test]
    fn realm_hosts() {
        assert_eq!(
            url_host("https://auth.docker.io/token"),
            Some("auth.docker.io")
        );
        assert_eq!(url_host("http://127.0.0.1:5000?x"), Some("127.0.0.1:5000"));
        assert_eq!(url_host("ftp://x/"), None);
        assert_eq!(url_host("https:///x"), None);
    }
}
