//! Access tokens: HS256 JWTs with pinned algorithm, issuer, audience, expiry
//! and type, validated on every request.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// The only `typ` claim an access token may carry.
pub const ACCESS_TYPE: &str = "access";

/// Claims of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id, as a decimal string.
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub iat: u64,
    pub exp: u64,
    /// Always `access`; refresh tokens are opaque and never JWTs.
    pub typ: String,
    /// The sign-in the token belongs to (its refresh-token family): a
    /// WebSocket signed in with the token ends when the sign-in is revoked
    /// (logout, refresh-token reuse). Absent in tokens issued before it was
    /// added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// Why a token was refused (never shown in detail to the client).
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid token: {0}")]
    Invalid(#[from] jsonwebtoken::errors::Error),
    #[error("not an access token")]
    WrongType,
    #[error("malformed subject")]
    BadSubject,
}

/// Signing and verification keys with the validation rules.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: u64,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

impl JwtKeys {
    pub fn new(
        secret: &SecretString,
        issuer: &str,
        audience: &str,
        ttl_secs: u64,
        leeway_secs: u64,
    ) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = leeway_secs;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            ttl_secs,
        }
    }

    /// Lifetime of the access tokens this issues, in seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// How long after its `exp` a token is still accepted, in seconds.
    pub fn leeway_secs(&self) -> u64 {
        self.validation.leeway
    }

    /// Signs an access token for `user_id`, of the sign-in `sid`.
    pub fn issue(&self, user_id: i64, sid: &str) -> Result<String, TokenError> {
        let iat = now();
        let claims = AccessClaims {
            sub: user_id.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat,
            exp: iat + self.ttl_secs,
            typ: ACCESS_TYPE.into(),
            sid: Some(sid.to_owned()),
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// Verifies signature, algorithm, expiry, issuer, audience and type; returns the user id.
    pub fn verify(&self, token: &str) -> Result<i64, TokenError> {
        self.verify_claims(token).map(|(user_id, _)| user_id)
    }

    /// Like [`JwtKeys::verify`], with the token's claims.
    pub fn verify_claims(&self, token: &str) -> Result<(i64, AccessClaims), TokenError> {
        let data = decode::<AccessClaims>(token, &self.decoding, &self.validation)?;
        if data.claims.typ != ACCESS_TYPE {
            return Err(TokenError::WrongType);
        }
        let user_id = data
            .claims
            .sub
            .parse()
            .map_err(|_| TokenError::BadSubject)?;
        Ok((user_id, data.claims))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys() -> JwtKeys {
        JwtKeys::new(
            &SecretString::from("k".repeat(40)),
            "iurhub",
            "iurhub-api",
            900,
            30,
        )
    }

    fn sign(claims: serde_json::Value, alg: Algorithm, secret: &str) -> String {
        encode(
            &Header::new(alg),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    }

    fn claims() -> serde_json::Value {
        serde_json::json!({"sub": "7", "iss": "iurhub", "aud": "iurhub-api", "iat": now(), "exp": now() + 60, "typ": "access"})
    }

    #[test]
    fn issued_token_round_trips() {
        let k = keys();
        assert_eq!(k.verify(&k.issue(42, "s").unwrap()).unwrap(), 42);
        let (_, claims) = k.verify_claims(&k.issue(42, "s").unwrap()).unwrap();
        assert_eq!(claims.sid.as_deref(), Some("s"));
    }

    #[test]
    fn refuses_every_forged_or_stale_token() {
        let k = keys();
        let secret = "k".repeat(40);
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims().to_string())
        );
        let mut expired = claims();
        expired["exp"] = (now() - 31).into();
        let mut wrong_iss = claims();
        wrong_iss["iss"] = "other".into();
        let mut wrong_aud = claims();
        wrong_aud["aud"] = "other".into();
        let mut no_exp = claims();
        no_exp.as_object_mut().unwrap().remove("exp");
        let mut string_exp = claims();
        string_exp["exp"] = (now() + 60).to_string().into();
        let mut refresh = claims();
        refresh["typ"] = "refresh".into();
        let cases = [
            ("alg none", none),
            ("HS512", sign(claims(), Algorithm::HS512, &secret)),
            (
                "other key",
                sign(claims(), Algorithm::HS256, &"x".repeat(40)),
            ),
            ("expired", sign(expired, Algorithm::HS256, &secret)),
            ("wrong iss", sign(wrong_iss, Algorithm::HS256, &secret)),
            ("wrong aud", sign(wrong_aud, Algorithm::HS256, &secret)),
            ("no exp", sign(no_exp, Algorithm::HS256, &secret)),
            ("string exp", sign(string_exp, Algorithm::HS256, &secret)),
            ("refresh typ", sign(refresh, Algorithm::HS256, &secret)),
            ("garbage", "a.b.c".to_owned()),
        ];
        for (name, token) in cases {
            assert!(k.verify(&token).is_err(), "{name} was accepted");
        }
        let mut within_leeway = claims();
        within_leeway["exp"] = (now() - 10).into();
        assert!(
            k.verify(&sign(within_leeway, Algorithm::HS256, &secret))
                .is_ok()
        );
    }
}
