//! E-mail over SMTP through `lettre`, behind the application's
//! [`Mailer`](iurhub_app::mail::Mailer) interface: each notification's
//! e-mail goes as one `multipart/alternative` message (plain text and
//! HTML), with the outbox row's `Message-ID`. Kept out of the application
//! layer, which depends on no network client.

use std::time::Duration;

use iurhub_app::mail::{Mail, MailError, Mailer};
use lettre::message::{Mailbox, MultiPart, header};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// Where the SMTP server is and who the e-mail is from.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// `smtp://host:25` (plain, for a relay on a private network),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465` (TLS from the start).
    pub url: String,
    /// The sender, `iurhub <noreply@example.cn>`.
    pub from: String,
    /// How long one attempt may take.
    pub timeout: Duration,
}

/// Sends e-mail through one SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    domain: String,
    /// The server, for logs (no credentials).
    server: String,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("server", &self.server)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl SmtpMailer {
    /// A mailer for `config`; a malformed URL or sender is an error here,
    /// at start-up, not at the first e-mail.
    pub fn new(config: &SmtpConfig) -> Result<SmtpMailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.url)
            .map_err(|e| format!("the SMTP URL is not usable: {e}"))?
            .timeout(Some(config.timeout))
            .build();
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("the sender {:?} is not an address: {e}", config.from))?;
        let domain = from.email.domain().to_owned();
        let server = match config.url.rsplit_once('@') {
            Some((scheme, host)) => {
                format!(
                    "{}{host}",
                    &scheme[..scheme.find("//").map_or(0, |i| i + 2)]
                )
            }
            None => config.url.clone(),
        };
        Ok(SmtpMailer {
            transport,
            from,
            domain,
            server,
        })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        let to = Mailbox::new(
            Some(mail.to_name.clone()),
            mail.to
                .parse()
                .map_err(|e| MailError::Permanent(format!("recipient {:?}: {e}", mail.to)))?,
        );
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .header(header::MIME_VERSION_1_0)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| MailError::Permanent(format!("building the message: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }

    fn domain(&self) -> &str {
        &self.domain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused_at_start_up() {
        let config = |url: &str, from: &str| SmtpConfig {
            url: url.into(),
            from: from.into(),
            timeout: Duration::from_secs(5),
        };
        assert!(
            SmtpMailer::new(&config(
                "smtp://127.0.0.1:2525",
                "iurhub <noreply@iurhub.cn>"
            ))
            .is_ok()
        );
        assert!(SmtpMailer::new(&config("http://x", "noreply@iurhub.cn")).is_err());
        assert!(SmtpMailer::new(&config("smtp://127.0.0.1:2525", "not an address")).is_err());
        let mailer = SmtpMailer::new(&config(
            "smtps://user:secret@mail.example.cn:465",
            "noreply@iurhub.cn",
        ))
        .unwrap();
        assert_eq!(mailer.domain(), "iurhub.cn");
        assert!(!format!("{mailer:?}").contains("secret"), "{mailer:?}");
    }
}
