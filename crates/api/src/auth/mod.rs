//! Authentication: passwords, tokens, the caller of a request, and the REST
//! endpoints under `/api/v1/auth`.

mod caller;
pub mod jwt;
mod password;
pub mod rest;

pub use caller::{Caller, Identity, bearer_claims, identity_from_header};
pub use jwt::{AccessClaims, JwtKeys, TokenError};
pub use password::{hash_password, verify_password};
