//! The writes benchmark's load driver (issue 17, point 4): against one
//! running `iurhub serve`, sets up through the public API what the writes
//! need, then runs createNeed, addChecklistItem, requestBooking and
//! acceptMatch, each with `--connections` concurrent clients for a warm-up
//! and a measured period, every request writing something new (a distinct
//! need title, checklist item, booking slot, match). Counts per response the
//! HTTP status and the GraphQL `errors` (a 200 with `errors` is a failure)
//! and writes a JSON result. Driven by `bench/writes`.
//!
//! ```text
//! IURHUB_BENCH_ADMIN_PASSWORD=… write-load --url http://127.0.0.1:8080 \
//!     --admin-email admin@bench.invalid --out sqlite.json
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration as Span, DurationRound, Utc};
use clap::Parser;
use serde_json::{Value, json};

#[derive(Parser)]
#[command(about = "Concurrent GraphQL writes against one iurhub server")]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// An ADMIN account (created with `iurhub user create --role ADMIN`).
    #[arg(long)]
    admin_email: String,
    #[arg(long, env = "IURHUB_BENCH_ADMIN_PASSWORD", hide_env_values = true)]
    admin_password: String,
    /// Comma-separated mutations, run in this order.
    #[arg(
        long,
        default_value = "createNeed,addChecklistItem,requestBooking,acceptMatch"
    )]
    mutations: String,
    /// Concurrent clients (one request in flight each).
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Measured seconds per mutation.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Unmeasured seconds right before, same load.
    #[arg(long, default_value_t = 3.0)]
    warmup: f64,
    /// Instruments the bookings are spread over (round robin; each request a
    /// new 30-minute slot, none overlapping).
    #[arg(long, default_value_t = 16)]
    instruments: usize,
    /// Projects (each with one milestone) the checklist items are spread over.
    #[arg(long, default_value_t = 1)]
    projects: usize,
    /// Needs whose suggested matches are read for acceptMatch (at most).
    #[arg(long, default_value_t = 2000)]
    match_needs: usize,
    /// Suggested matches read per need.
    #[arg(long, default_value_t = 50)]
    matches_per_need: usize,
    /// At most this long shortlisting the suggested matches for acceptMatch
    /// (it stops earlier when all are shortlisted).
    #[arg(long, default_value_t = 60.0)]
    shortlist_seconds: f64,
    /// A label for the result (e.g. sqlite, postgresql).
    #[arg(long, default_value = "iurhub")]
    label: String,
    /// Where the JSON result goes.
    #[arg(long)]
    out: String,
}

const MEMBER_EMAIL: &str = "writer@bench.invalid";
const MEMBER_PASSWORD: &str = "bench-writer-password";

#[derive(Clone)]
struct Client {
    http: reqwest::Client,
    url: String,
}

/// One answer: the HTTP status (0 when there was none), the GraphQL error
/// codes, the body.
struct Answer {
    status: u16,
    codes: Vec<String>,
    body: Value,
    transport: Option<String>,
}

impl Client {
    async fn gql(&self, token: &str, query: &str, variables: Value) -> Answer {
        let sent = self
            .http
            .post(format!("{}/graphql", self.url))
            .bearer_auth(token)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await;
        let res = match sent {
            Ok(r) => r,
            Err(e) => {
                return Answer {
                    status: 0,
                    codes: Vec::new(),
                    body: Value::Null,
                    transport: Some(e.to_string()),
                };
            }
        };
        let status = res.status().as_u16();
        let body = match res.bytes().await {
            Ok(b) => serde_json::from_slice(&b)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&b).into_owned())),
            Err(e) => {
                return Answer {
                    status,
                    codes: Vec::new(),
                    body: Value::Null,
                    transport: Some(e.to_string()),
                };
            }
        };
        let codes = body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or("NO_CODE")
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        Answer {
            status,
            codes,
            body,
            transport: None,
        }
    }

    /// A setup request that must succeed: its `data`.
    async fn must(&self, token: &str, query: &str, variables: Value) -> anyhow::Result<Value> {
        let a = self.gql(token, query, variables).await;
        if a.status != 200 || !a.codes.is_empty() || a.transport.is_some() {
            bail!(
                "setup request failed ({}): {} {}",
                a.status,
                a.transport.unwrap_or_default(),
                a.body
            );
        }
        Ok(a.body["data"].clone())
    }

    async fn rest(&self, path: &str, body: Value) -> anyhow::Result<(u16, Value)> {
        let res = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await?;
        let status = res.status().as_u16();
        let value = res.json().await.unwrap_or(Value::Null);
        Ok((status, value))
    }

    async fn login(&self, email: &str, password: &str) -> anyhow::Result<String> {
        let (status, body) = self
            .rest(
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await?;
        if status != 200 {
            bail!("sign-in of {email} answered {status}: {body}");
        }
        body["accessToken"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("no accessToken in {body}"))
    }
}

fn id(v: &Value) -> anyhow::Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("not an id: {v}"))
}

/// What the mutations write to.
struct Fixture {
    admin: String,
    member: String,
    enterprise: String,
    /// (project, milestone)
    projects: Vec<(String, String)>,
    instruments: Vec<String>,
    /// The first bookable slot (whole hour, an hour from now).
    slots_from: DateTime<Utc>,
}

async fn setup(c: &Client, args: &Args, run: &str) -> anyhow::Result<Fixture> {
    let admin = c.login(&args.admin_email, &args.admin_password).await?;
    let org = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { organization { id } } }";
    let enterprise = id(&c
        .must(
            &admin,
            org,
            json!({"input": {"kind": "ENTERPRISE", "name": format!("Bench enterprise {run}")}}),
        )
        .await?["createOrganization"]["organization"]["id"])?;
    let university = id(&c
        .must(
            &admin,
            org,
            json!({"input": {"kind": "UNIVERSITY", "name": format!("Bench university {run}")}}),
        )
        .await?["createOrganization"]["organization"]["id"])?;
    let center = id(&c
        .must(
            &admin,
            org,
            json!({"input": {"kind": "INSTITUTE", "name": format!("Bench testing center {run}")}}),
        )
        .await?["createOrganization"]["organization"]["id"])?;

    // The member who writes: registered through the public API, added to the
    // enterprise (needs, bookings) which is a party of the projects (checklist).
    let (status, body) = c
        .rest(
            "/api/v1/auth/register",
            json!({"email": MEMBER_EMAIL, "password": MEMBER_PASSWORD, "displayName": "Bench writer"}),
        )
        .await?;
    if status != 201 && status != 409 {
        bail!("register answered {status}: {body}");
    }
    c.must(
        &admin,
        "mutation($input: AddMemberInput!) { addMember(input: $input) { membership { role } } }",
        json!({"input": {"organizationId": enterprise, "email": MEMBER_EMAIL, "role": "MEMBER"}}),
    )
    .await?;
    let member = c.login(MEMBER_EMAIL, MEMBER_PASSWORD).await?;

    let mut projects = Vec::new();
    for p in 0..args.projects.max(1) {
        let project = id(&c
            .must(
                &admin,
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
                json!({"input": {"title": format!("Bench project {run}-{p}"), "area": "JOINT_RESEARCH_PLATFORM",
                    "partyOrganizationIds": [enterprise, university]}}),
            )
            .await?["createProject"]["project"]["id"])?;
        let milestone = id(&c
            .must(
                &admin,
                "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } } }",
                json!({"input": {"projectId": project, "title": "Bench milestone"}}),
            )
            .await?["addMilestone"]["milestone"]["id"])?;
        projects.push((project, milestone));
    }

    let mut instruments = Vec::new();
    for i in 0..args.instruments.max(1) {
        instruments.push(id(&c
            .must(
                &admin,
                "mutation($input: CreateInstrumentInput!) { createInstrument(input: $input) { instrument { id } } }",
                json!({"input": {"organizationId": center, "name": format!("Bench instrument {run}-{i}"),
                    "category": "SEM", "rateInternal": "100", "rateExternal": "200"}}),
            )
            .await?["createInstrument"]["instrument"]["id"])?);
    }
    let slots_from = Utc::now()
        .duration_trunc(Span::hours(1))
        .context("truncating now")?
        + Span::hours(2);
    Ok(Fixture {
        admin,
        member,
        enterprise,
        projects,
        instruments,
        slots_from,
    })
}

/// Reads the suggested matches of up to `--match-needs` needs (as admin) and
/// returns their ids, best first per need.
async fn suggested_matches(c: &Client, f: &Fixture, args: &Args) -> anyhow::Result<Vec<String>> {
    let mut needs = Vec::new();
    let mut after: Option<String> = None;
    while needs.len() < args.match_needs {
        let data = c
            .must(
                &f.admin,
                "query($after: String) { needs(first: 100, after: $after, filter: {status: [PUBLISHED]}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }",
                json!({"after": after}),
            )
            .await?;
        let page = &data["needs"];
        for e in page["edges"].as_array().into_iter().flatten() {
            needs.push(id(&e["node"]["id"])?);
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    needs.truncate(args.match_needs);
    let next = Arc::new(AtomicUsize::new(0));
    let needs = Arc::new(needs);
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (c, next, needs, token) = (c.clone(), next.clone(), needs.clone(), f.admin.clone());
        let first = args.matches_per_need;
        tasks.push(tokio::spawn(async move {
            let mut found = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(need) = needs.get(i) else { break };
                let data = c
                    .must(
                        &token,
                        "query($id: ID!, $first: Int!) { need(id: $id) { matches(first: $first, filter: {status: [SUGGESTED]}) { edges { node { id } } } } }",
                        json!({"id": need, "first": first}),
                    )
                    .await?;
                for e in data["need"]["matches"]["edges"].as_array().into_iter().flatten() {
                    found.push(id(&e["node"]["id"])?);
                }
            }
            anyhow::Ok(found)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

/// What one run counted.
#[derive(Default)]
struct Tally {
    /// Latencies (µs) of the measured requests that succeeded or failed.
    latencies_us: Vec<u64>,
    ok: u64,
    http: BTreeMap<u16, u64>,
    codes: BTreeMap<String, u64>,
    transport: u64,
    samples: Vec<String>,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.latencies_us.extend(o.latencies_us);
        self.ok += o.ok;
        for (k, v) in o.http {
            *self.http.entry(k).or_default() += v;
        }
        for (k, v) in o.codes {
            *self.codes.entry(k).or_default() += v;
        }
        self.transport += o.transport;
        for s in o.samples {
            if self.samples.len() < 10 {
                self.samples.push(s);
            }
        }
    }
}

/// The request of work item `i`, or None when there is no more work.
type Job = Arc<dyn Fn(usize) -> Option<(String, Value)> + Send + Sync>;

async fn load(
    c: &Client,
    token: &str,
    query: &'static str,
    job: Job,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> (Tally, f64, bool, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let exhausted = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let measured_from = start + warmup;
    let end = measured_from + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (c, next, exhausted, job, token) = (
            c.clone(),
            next.clone(),
            exhausted.clone(),
            job.clone(),
            token.to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            let mut t = Tally::default();
            loop {
                let sent = Instant::now();
                if sent >= end {
                    break;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((label, variables)) = job(i) else {
                    exhausted.store(true, Ordering::Relaxed);
                    break;
                };
                let a = c.gql(&token, query, variables).await;
                if sent < measured_from {
                    continue;
                }
                t.latencies_us.push(sent.elapsed().as_micros() as u64);
                *t.http.entry(a.status).or_default() += 1;
                let failed = a.status != 200 || !a.codes.is_empty() || a.transport.is_some();
                if a.transport.is_some() {
                    t.transport += 1;
                }
                for code in &a.codes {
                    *t.codes.entry(code.clone()).or_default() += 1;
                }
                if failed {
                    if t.samples.len() < 3 {
                        let what = a.transport.unwrap_or_else(|| {
                            let s = a.body.to_string();
                            s.chars().take(400).collect()
                        });
                        t.samples
                            .push(format!("{label}: HTTP {}: {what}", a.status));
                    }
                } else {
                    t.ok += 1;
                }
            }
            t
        }));
    }
    let mut all = Tally::default();
    for task in tasks {
        all.merge(task.await.expect("a load task panicked"));
    }
    // Requests sent in the measured window, over the time they took to
    // answer (the window, or less when the work ran out).
    let finished = Instant::now().min(end + Duration::from_secs(60));
    let window = if exhausted.load(Ordering::Relaxed) {
        finished.saturating_duration_since(measured_from)
    } else {
        duration
    };
    (
        all,
        window.as_secs_f64(),
        exhausted.load(Ordering::Relaxed),
        next.load(Ordering::Relaxed),
    )
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn log(m: &str) {
    eprintln!("== {m}");
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let c = Client {
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(args.connections.max(1) * 2)
            .build()?,
        url: args.url.trim_end_matches('/').to_owned(),
    };
    let run = format!("{}", Utc::now().format("%Y%m%d%H%M%S"));
    log(&format!("{}: setting up through the API", args.label));
    let f = setup(&c, &args, &run).await?;
    let mutations: Vec<&str> = args.mutations.split(',').map(str::trim).collect();
    for m in &mutations {
        if !matches!(
            *m,
            "createNeed" | "addChecklistItem" | "requestBooking" | "acceptMatch"
        ) {
            bail!("unknown mutation {m}");
        }
    }
    let warmup = Duration::from_secs_f64(args.warmup);
    let duration = Duration::from_secs_f64(args.duration);
    let mut results = Vec::new();
    let mut prepared = json!({});
    for m in mutations {
        let (token, query, job): (&str, &'static str, Job) = match m {
            "createNeed" => {
                let org = f.enterprise.clone();
                let run = run.clone();
                (
                    &f.member,
                    "mutation($input: CreateNeedInput!) { createNeed(input: $input) { need { id } } }",
                    Arc::new(move |i| {
                        Some((
                            format!("need {i}"),
                            json!({"input": {"organizationId": org,
                                "title": format!("Bench need {run}-{i}: laser cladding of worn shafts"),
                                "description": "Worn bearing seats of gearbox shafts are to be restored by laser cladding; we look for a team with process development experience.",
                                "keywords": ["laser cladding", "激光熔覆", "gearbox"],
                                "cooperationModes": ["JOINT_RESEARCH"], "trlRequired": 5}}),
                        ))
                    }),
                )
            }
            "addChecklistItem" => {
                let projects = f.projects.clone();
                (
                    &f.member,
                    "mutation($input: AddChecklistItemInput!) { addChecklistItem(input: $input) { item { id } } }",
                    Arc::new(move |i| {
                        let (project, milestone) = &projects[i % projects.len()];
                        Some((
                            format!("item {i}"),
                            json!({"input": {"projectId": project, "milestoneId": milestone,
                                "title": format!("Bench item {i}")}}),
                        ))
                    }),
                )
            }
            "requestBooking" => {
                let instruments = f.instruments.clone();
                let org = f.enterprise.clone();
                let from = f.slots_from;
                (
                    &f.member,
                    "mutation($input: RequestBookingInput!) { requestBooking(input: $input) { booking { id } } }",
                    Arc::new(move |i| {
                        let instrument = &instruments[i % instruments.len()];
                        let start = from + Span::minutes(30 * (i / instruments.len()) as i64);
                        Some((
                            format!("booking {i} ({instrument} at {})", start.to_rfc3339()),
                            json!({"input": {"instrumentId": instrument, "organizationId": org,
                                "start": start.to_rfc3339(), "end": (start + Span::minutes(30)).to_rfc3339(),
                                "purpose": "Bench: surface analysis of cladded samples"}}),
                        ))
                    }),
                )
            }
            "acceptMatch" => {
                log(&format!("{}: reading suggested matches", args.label));
                let t = Instant::now();
                let found = suggested_matches(&c, &f, &args).await?;
                log(&format!(
                    "{}: {} suggested matches in {:.1} s; shortlisting them (at most {:.0} s)",
                    args.label,
                    found.len(),
                    t.elapsed().as_secs_f64(),
                    args.shortlist_seconds
                ));
                // acceptMatch needs SHORTLISTED (or CONTACTED) matches: all
                // the suggested ones, or as many as the server shortlists in
                // --shortlist-seconds; each is accepted once below.
                let t = Instant::now();
                let found = Arc::new(found);
                let pool = found.clone();
                let (tally, _, _, sent) = load(
                    &c,
                    &f.admin,
                    "mutation($input: ShortlistMatchInput!) { shortlistMatch(input: $input) { match { id } } }",
                    Arc::new(move |i| pool.get(i).map(|m| (format!("match {m}"), json!({"input": {"id": m}})))),
                    args.connections,
                    Duration::ZERO,
                    Duration::from_secs_f64(args.shortlist_seconds),
                )
                .await;
                let shortlisted = sent.min(found.len());
                log(&format!(
                    "{}: {shortlisted} shortlisted in {:.1} s",
                    args.label,
                    t.elapsed().as_secs_f64()
                ));
                let failed = tally.latencies_us.len() as u64 - tally.ok;
                if failed > 0 {
                    log(&format!(
                        "{}: {failed} shortlistMatch requests failed: {:?} {:?}",
                        args.label, tally.codes, tally.samples
                    ));
                }
                prepared = json!({"suggested": found.len(), "shortlisted": tally.ok,
                    "shortlist_failed": failed, "shortlist_s": t.elapsed().as_secs_f64()});
                let ids: Vec<String> = found[..shortlisted].to_vec();
                (
                    &f.admin,
                    "mutation($input: AcceptMatchInput!) { acceptMatch(input: $input) { match { id status } } }",
                    Arc::new(move |i| {
                        ids.get(i)
                            .map(|m| (format!("match {m}"), json!({"input": {"id": m}})))
                    }),
                )
            }
            _ => unreachable!(),
        };
        log(&format!(
            "{}: {m}, {} clients, {:.0} s warm-up + {:.0} s",
            args.label, args.connections, args.warmup, args.duration
        ));
        let (mut t, window, exhausted, sent) =
            load(&c, token, query, job, args.connections, warmup, duration).await;
        t.latencies_us.sort_unstable();
        let requests = t.latencies_us.len() as u64;
        let server_errors: u64 = t
            .http
            .iter()
            .filter(|(s, _)| **s >= 500)
            .map(|(_, n)| n)
            .sum();
        let failed = requests - t.ok;
        // Nothing measured (the work ran out in the warm-up): no rate.
        let window = window.max(f64::MIN_POSITIVE);
        let r = json!({
            "mutation": m,
            "requests": requests,
            "ok": t.ok,
            "failed": failed,
            "server_errors": server_errors,
            "transport_errors": t.transport,
            "http": t.http.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "graphql_errors": t.codes,
            "conflicts": t.codes.get("CONFLICT").copied().unwrap_or(0),
            "window_s": window,
            "rps": requests as f64 / window,
            "ok_rps": t.ok as f64 / window,
            "p50_ms": pct(&t.latencies_us, 50.0),
            "p90_ms": pct(&t.latencies_us, 90.0),
            "p99_ms": pct(&t.latencies_us, 99.0),
            "max_ms": t.latencies_us.last().map_or(0.0, |v| *v as f64 / 1000.0),
            "work_exhausted": exhausted,
            "sent_including_warmup": sent,
            "failure_samples": t.samples,
        });
        log(&format!(
            "{}: {m}: {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, {} ok, {} failed {:?}{}",
            args.label,
            requests as f64 / window,
            pct(&t.latencies_us, 50.0),
            pct(&t.latencies_us, 99.0),
            t.ok,
            failed,
            t.codes,
            if exhausted { " (work ran out)" } else { "" }
        ));
        for s in &t.samples {
            log(&format!("  {s}"));
        }
        results.push(r);
    }
    let out = json!({
        "label": args.label,
        "url": args.url,
        "connections": args.connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "instruments": f.instruments.len(),
        "projects": f.projects.len(),
        "matches": prepared,
        "results": results,
    });
    std::fs::write(&args.out, serde_json::to_string_pretty(&out)?)
        .with_context(|| format!("writing {}", args.out))?;
    Ok(())
}
