//! The ranking profiles of every capability, kept in memory.
//!
//! Ranking a need re-scores its 200 text candidates with structured factors:
//! the candidate's analysed keywords, disciplines, TRL, the availability of
//! its responsible talents, its organisation's province and track record.
//! Those are kept here, so a ranking reads nothing per candidate: the
//! capability facts, disciplines and talent links per capability, the
//! availability per talent and the province and completed projects per
//! organisation, joined when a candidate is ranked ([`Profiles::candidates`]
//! is the one place a [`CandidateProfile`] of a capability is made).
//!
//! Loaded whole at start ([`load`]; the keyword terms come from the search
//! index, analysed once when the capability was indexed). Every write that
//! changes a factor marks what it changed (the `App::…_written` hooks, and
//! the changes of other replicas, crates/app/src/replication.rs); the marked
//! rows are read again, in one batch per relation, before the next ranking
//! ([`Profiles::sync`]), so a ranking never uses a profile older than the
//! writes committed before it started.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

use iurhub_domain::{CapabilityStatus, CooperationMode};
use iurhub_matching::{CandidateProfile, DocKind};

use crate::App;
use crate::error::{AppError, AppResult};

/// What a capability contributes to its profile.
#[derive(Debug, Clone, Default)]
struct Facts {
    organization_id: i64,
    published: bool,
    trl: Option<i32>,
    keyword_terms: Vec<String>,
    discipline_codes: Vec<String>,
    talent_ids: Vec<i64>,
}

#[derive(Debug, Default)]
struct State {
    capabilities: HashMap<i64, Facts>,
    availability: HashMap<i64, Vec<CooperationMode>>,
    provinces: HashMap<i64, Option<String>>,
    completed: HashMap<i64, u32>,
}

/// What was written since the last [`Profiles::sync`].
#[derive(Debug, Default)]
struct Dirty {
    capabilities: HashSet<i64>,
    talents: HashSet<i64>,
    /// Every organisation's province and track record.
    organizations: bool,
}

/// A published capability among the candidates, with its profile.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub organization_id: i64,
    pub profile: CandidateProfile,
}

/// The profiles of every capability (see the module documentation).
#[derive(Default)]
pub struct Profiles {
    state: RwLock<State>,
    dirty: Mutex<Dirty>,
    /// Whether `dirty` holds anything: a ranking with nothing to read again
    /// takes no lock but the read lock of `state`.
    pending: AtomicBool,
    /// One sync at a time, so an older read never overwrites a newer one.
    syncing: tokio::sync::Mutex<()>,
}

impl Profiles {
    /// Capabilities were written (their row, disciplines or talents).
    pub(crate) fn capabilities_changed(&self, ids: impl IntoIterator<Item = i64>) {
        self.mark(|d| d.capabilities.extend(ids));
    }

    /// Talent profiles were written (their availability).
    pub(crate) fn talents_changed(&self, ids: impl IntoIterator<Item = i64>) {
        self.mark(|d| d.talents.extend(ids));
    }

    /// An organisation's region or a track record may have changed.
    pub(crate) fn organizations_changed(&self) {
        self.mark(|d| d.organizations = true);
    }

    fn mark(&self, change: impl FnOnce(&mut Dirty)) {
        let mut dirty = self.dirty.lock().expect("profiles dirty lock");
        change(&mut dirty);
        self.pending.store(true, Ordering::Release);
    }

    /// Replaces every profile with `loaded` (at start). Marks made before
    /// stay: they are read again at the next sync.
    fn replace(&self, loaded: State) {
        *self.state.write().expect("profiles lock") = loaded;
    }

    /// Reads again what was marked since the last sync. When nothing is
    /// marked but another sync is still reading what was marked before,
    /// waits for that read to be applied: a ranking that began after a
    /// write never scores without the write's profiles (the write's
    /// document may already be in the index, and its kept ranking would
    /// then miss it until the next change).
    pub(crate) async fn sync(&self, app: &App) -> AppResult<()> {
        let _one = if self.pending.load(Ordering::Acquire) {
            self.syncing.lock().await
        } else {
            match self.syncing.try_lock() {
                // Nothing marked, nothing being read.
                Ok(_) => return Ok(()),
                Err(_) => self.syncing.lock().await,
            }
        };
        let dirty = {
            let mut dirty = self.dirty.lock().expect("profiles dirty lock");
            self.pending.store(false, Ordering::Release);
            std::mem::take(&mut *dirty)
        };
        match read(app, &dirty).await {
            Ok(update) => {
                update.apply(&mut self.state.write().expect("profiles lock"));
                Ok(())
            }
            Err(err) => {
                // Read again next time.
                self.mark(|d| {
                    d.capabilities.extend(dirty.capabilities);
                    d.talents.extend(dirty.talents);
                    d.organizations |= dirty.organizations;
                });
                Err(err)
            }
        }
    }

    /// The published capabilities among `ids`, with their profiles.
    pub(crate) fn candidates(&self, ids: impl IntoIterator<Item = i64>) -> HashMap<i64, Candidate> {
        let state = self.state.read().expect("profiles lock");
        ids.into_iter()
            .filter_map(|id| {
                let facts = state.capabilities.get(&id)?;
                facts.published.then(|| (id, state.candidate(facts)))
            })
            .collect()
    }

    /// The profile of one capability, published or not.
    pub(crate) fn profile(&self, id: i64) -> Option<CandidateProfile> {
        let state = self.state.read().expect("profiles lock");
        state
            .capabilities
            .get(&id)
            .map(|facts| state.candidate(facts).profile)
    }

    /// Number of capabilities profiled (for logs and tests).
    pub fn len(&self) -> usize {
        self.state.read().expect("profiles lock").capabilities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl State {
    /// A capability's profile: its own facts with its talents' availability
    /// (every mode one of them is available for, once, in order) and its
    /// organisation's province and completed projects.
    fn candidate(&self, facts: &Facts) -> Candidate {
        let mut availability: Vec<CooperationMode> = facts
            .talent_ids
            .iter()
            .filter_map(|t| self.availability.get(t))
            .flatten()
            .copied()
            .collect();
        availability.sort();
        availability.dedup();
        Candidate {
            organization_id: facts.organization_id,
            profile: CandidateProfile {
                keyword_terms: facts.keyword_terms.clone(),
                discipline_codes: facts.discipline_codes.clone(),
                trl: facts.trl,
                availability,
                province: self
                    .provinces
                    .get(&facts.organization_id)
                    .cloned()
                    .flatten(),
                completed_projects: Some(
                    self.completed
                        .get(&facts.organization_id)
                        .copied()
                        .unwrap_or(0),
                ),
            },
        }
    }
}

/// Rows read again for a sync.
#[derive(Default)]
struct Update {
    capabilities: Vec<(i64, Facts)>,
    availability: Vec<(i64, Vec<CooperationMode>)>,
    provinces: Option<HashMap<i64, Option<String>>>,
    /// Provinces of the organisations of the capabilities read (a new
    /// organisation may own one).
    some_provinces: HashMap<i64, Option<String>>,
    completed: Option<HashMap<i64, u32>>,
    some_completed: HashMap<i64, u32>,
}

impl Update {
    fn apply(self, state: &mut State) {
        let orgs: Vec<i64> = self
            .capabilities
            .iter()
            .map(|(_, f)| f.organization_id)
            .collect();
        state.capabilities.extend(self.capabilities);
        state.availability.extend(self.availability);
        match self.provinces {
            Some(all) => state.provinces = all,
            None => state.provinces.extend(self.some_provinces),
        }
        match self.completed {
            Some(all) => state.completed = all,
            None => {
                for org in orgs {
                    state.completed.remove(&org);
                }
                state.completed.extend(self.some_completed);
            }
        }
    }
}

async fn read(app: &App, dirty: &Dirty) -> AppResult<Update> {
    let store = &app.store;
    let mut update = Update::default();
    if !dirty.capabilities.is_empty() {
        let ids: Vec<i64> = dirty.capabilities.iter().copied().collect();
        let capabilities = store.capabilities_by_ids(&ids).await?;
        let mut disciplines = store.capability_disciplines(&ids).await?;
        let mut talents = store.capability_talent_ids(&ids).await?;
        let mut org_ids: Vec<i64> = capabilities.iter().map(|c| c.organization_id).collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        update.some_provinces = store
            .organizations_by_ids(&org_ids)
            .await?
            .into_iter()
            .map(|o| (o.id, o.region.province))
            .collect();
        update.some_completed = store.completed_projects(&org_ids).await?;
        update.capabilities = capabilities
            .into_iter()
            .map(|c| {
                let facts = Facts {
                    organization_id: c.organization_id,
                    published: c.status == CapabilityStatus::Published,
                    trl: c.trl,
                    keyword_terms: app.index.keyword_terms(&c.keywords),
                    discipline_codes: disciplines.remove(&c.id).unwrap_or_default(),
                    talent_ids: talents.remove(&c.id).unwrap_or_default(),
                };
                (c.id, facts)
            })
            .collect();
    }
    if !dirty.talents.is_empty() {
        let ids: Vec<i64> = dirty.talents.iter().copied().collect();
        update.availability = store
            .talent_availability(Some(&ids))
            .await?
            .into_iter()
            .collect();
    }
    if dirty.organizations {
        update.provinces = Some(store.organization_provinces().await?);
        update.completed = Some(store.completed_projects_of(None).await?);
    }
    Ok(update)
}

/// Reads every profile (at start, once the search index holds every
/// capability: the keyword terms are read from it) and puts them in place.
pub(crate) async fn load(app: &App) -> AppResult<usize> {
    let store = &app.store;
    let mut terms = app
        .index
        .all_keyword_terms(DocKind::Capability)
        .map_err(AppError::internal)?;
    let mut disciplines = store.all_capability_disciplines().await?;
    let mut talents = store.all_capability_talent_ids().await?;
    let capabilities: HashMap<i64, Facts> = store
        .capability_facts(None)
        .await?
        .into_iter()
        .map(|c| {
            let facts = Facts {
                organization_id: c.organization_id,
                published: c.status == CapabilityStatus::Published,
                trl: c.trl,
                keyword_terms: terms.remove(&c.id).unwrap_or_default(),
                discipline_codes: disciplines.remove(&c.id).unwrap_or_default(),
                talent_ids: talents.remove(&c.id).unwrap_or_default(),
            };
            (c.id, facts)
        })
        .collect();
    let state = State {
        availability: store.talent_availability(None).await?,
        provinces: store.organization_provinces().await?,
        completed: store.completed_projects_of(None).await?,
        capabilities,
    };
    let n = state.capabilities.len();
    app.profiles.replace(state);
    Ok(n)
}
