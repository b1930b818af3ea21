//! `login`'s check: do these credentials open the registry? `GET /v2/` goes out
//! anonymous; a Basic challenge is answered with the credentials, a Bearer one with a
//! token request (no scope) that sends them to the realm. Nothing is stored here.

use super::client::Client;
use super::{Ctx, RegistryError, RegistryOptions, Step};

/// Check `opts.credentials` (or the stored ones) against registry `domain`.
/// Wrong credentials give [`RegistryError::InvalidCredentials`].
pub fn check_login(domain: &str, opts: &RegistryOptions) -> Result<(), RegistryError> {
    let client = Client::with_scope(domain, "", opts, String::new())?;
    let ctx = Ctx::new(Step::Login, domain.to_string());
    let req = super::request::Request::get("/v2/", &[]);
    match client.call(&ctx, &req) {
        Ok(_) => Ok(()),
        Err(RegistryError::Unauthorized { .. }) => Err(RegistryError::InvalidCredentials {
            host: domain.to_string(),
        }),
        Err(e) => Err(e),
    }
}
