-- Row-level security for the signed-in PostGraphile target of bench/run
-- (`postgraphile-rls`): PostGraphile's documented way of authorising. The
-- server verifies the caller's JWT (graphile.config.mjs, `grafast.context`)
-- and hands PostgreSQL the role `bench_reader` and the claim
-- `jwt.claims.sub` (the iurhub user id) through `pgSettings`; these policies
-- then decide which needs that user may read, the same rule iurhub applies
-- (crates/domain/src/policy.rs, `may_see_need`; crates/store/src/needs.rs):
--
--   * a platform ADMIN or COORDINATOR reads every need;
--   * a signed-in user reads the released (not DRAFT, not WITHDRAWN) needs
--     that are PUBLIC or PLATFORM, and every need of the organisations they
--     manage: those they are a member of, plus every descendant of those they
--     administer (ORG_ADMIN).
--
-- The caller's organisations are computed by a STABLE function, so
-- PostgreSQL evaluates it once per statement (an InitPlan), not per row.
-- Applied by bench/run after the data is written; the PostgreSQL role that
-- PostGraphile connects as (a superuser, for introspection) switches to
-- `bench_reader` for every request that carries a valid token.

CREATE ROLE bench_reader NOLOGIN;
GRANT USAGE ON SCHEMA public TO bench_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO bench_reader;

CREATE SCHEMA bench_private;
GRANT USAGE ON SCHEMA bench_private TO bench_reader;

-- The user id of the verified token, or NULL.
CREATE FUNCTION bench_private.current_user_id() RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('jwt.claims.sub', true), '')::bigint
$$;

CREATE FUNCTION bench_private.current_user_is_staff() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (
        SELECT 1 FROM users
        WHERE id = bench_private.current_user_id() AND platform_role IS NOT NULL
    )
$$;

CREATE FUNCTION bench_private.current_user_organization_ids() RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    WITH RECURSIVE administered(id) AS (
        SELECT organization_id FROM memberships
        WHERE user_id = bench_private.current_user_id() AND role = 'ORG_ADMIN'
        UNION
        SELECT o.id FROM organizations o JOIN administered a ON o.parent_id = a.id
    )
    SELECT coalesce(array_agg(id), '{}') FROM (
        SELECT id FROM administered
        UNION
        SELECT organization_id FROM memberships WHERE user_id = bench_private.current_user_id()
    ) mine
$$;

ALTER TABLE tech_needs ENABLE ROW LEVEL SECURITY;
CREATE POLICY signed_in_reader ON tech_needs FOR SELECT TO bench_reader USING (
    (status NOT IN ('DRAFT', 'WITHDRAWN') AND visibility IN ('PUBLIC', 'PLATFORM'))
    OR organization_id = ANY (bench_private.current_user_organization_ids())
    OR bench_private.current_user_is_staff()
);
