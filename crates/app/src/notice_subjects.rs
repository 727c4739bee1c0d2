//! Whether a notification's reader may still see what it is about (apart
//! from [`crate::notifications`], which the areas call to write theirs:
//! this one asks the areas).

use iurhub_domain::records::notifications::NoticeSubject;

use crate::App;
use crate::caller::Caller;
use crate::error::{AppResult, ErrorCode};

/// Whether `caller` may see what a notification is about, now: its title
/// and body are shown (and its e-mail sent) only then, so a notification
/// never quotes what its recipient may no longer read (a capability since
/// archived, a project they left).
pub async fn sees_subject(
    app: &App,
    caller: &Caller,
    subject: Option<NoticeSubject>,
) -> AppResult<bool> {
    let Some(subject) = subject else {
        return Ok(true);
    };
    let who = caller.identity();
    let seen = match subject {
        NoticeSubject::Need(id) => crate::needs::visible(app, &who, id).await.map(drop),
        NoticeSubject::Capability(id) => {
            crate::capabilities::visible(app, &who, id).await.map(drop)
        }
        NoticeSubject::Match {
            need_id,
            capability_id,
        } => crate::matching::visible_match(app, &who, need_id, capability_id)
            .await
            .map(drop),
        NoticeSubject::Interest(id) => crate::interests::visible(app, &who, id).await.map(drop),
        NoticeSubject::Thread(id) => crate::threads::visible(app, &who, id).await.map(drop),
        NoticeSubject::Project(id) => crate::projects::visible(app, &who, id).await.map(drop),
        NoticeSubject::Booking(id) => crate::instruments::visible_booking(app, caller, id)
            .await
            .map(drop),
        // Every signed-in user sees the instruments.
        NoticeSubject::Instrument(id) => crate::instruments::instrument(app, id).await.map(drop),
        NoticeSubject::ChecklistItem(id) => {
            crate::projects::visible_item(app, &who, id).await.map(drop)
        }
    };
    match seen {
        Ok(()) => Ok(true),
        Err(err) if matches!(err.code(), ErrorCode::NotFound | ErrorCode::Forbidden) => Ok(false),
        Err(err) => Err(err),
    }
}
