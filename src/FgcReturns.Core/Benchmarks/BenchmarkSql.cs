namespace FgcReturns.Core.Benchmarks;

/// <summary>
/// The set-based build, in PostgreSQL. Every statement takes its inputs as parameters: the build id, the survey,
/// the return statuses, the suppression threshold and the measure list (a jsonb array, unnested with
/// jsonb_to_recordset). Nothing from a definition is concatenated into SQL. Every measure is computed within one
/// collection, so a build runs as partitions of whole collections (@collection_ids, and the measures of those
/// collections), each on its own connection and transaction, all writing under the same build id.
/// </summary>
internal static class BenchmarkSql
{
    /// <summary>Key of the session advisory lock that keeps builds one at a time across processes and Hangfire servers.</summary>
    public const int LockClass = 0x46474342; // "FGCB"
    public const int LockObject = 1;

    public const string TryLock = "SELECT pg_try_advisory_lock(@lock_class, @lock_object)";
    public const string Unlock = "SELECT pg_advisory_unlock(@lock_class, @lock_object)";

    /// <summary>
    /// Settings for the build transaction: sorts in memory, no JIT (it costs more than it saves here), and no wait
    /// for the WAL flush at commit: if the server crashed just after, the build would be lost and stay marked
    /// Running (abandoned by the next build), and the previous build stays current, so nothing reads a lost build.
    /// The switch to the new build commits synchronously, after it in the WAL.
    /// </summary>
    public const string Settings = "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off; SET LOCAL synchronous_commit = off;";

    /// <summary>The measure list, unnested from the jsonb parameter; mid is an integer id used for joins and grouping.</summary>
    public const string InsertMeasures = """
        CREATE TEMP TABLE bench_measures ON COMMIT DROP AS
        SELECT x.mid, x.collection_id, x.measure_key, x.series_key, x.kind, x.label, x.unit, x.section,
               x.numerator, x.denominator, x.multiplier, x.higher_is, x.sort_order
        FROM jsonb_to_recordset(@measures) AS x(mid int, collection_id int, measure_key text, series_key text, kind text, label text,
             unit text, section text, numerator text, denominator text, multiplier numeric, higher_is text, sort_order int);
        INSERT INTO benchmark_measures (build_id, collection_id, measure_key, series_key, kind, label, unit, section,
                                        numerator, denominator, multiplier, higher_is, sort_order)
        SELECT @build_id, collection_id, measure_key, series_key, kind, label, unit, section,
               numerator, denominator, multiplier, higher_is, sort_order
        FROM bench_measures;
        CREATE TEMP TABLE bench_indicators ON COMMIT DROP AS
        SELECT i.mid, i.collection_id, i.multiplier, n.mid AS numerator_mid, d.mid AS denominator_mid,
               i.denominator = 'population_0_17' AS per_population
        FROM bench_measures i
        JOIN bench_measures n ON n.collection_id = i.collection_id AND n.measure_key = i.numerator AND n.kind <> 'Indicator'
        LEFT JOIN bench_measures d ON d.collection_id = i.collection_id AND d.measure_key = i.denominator AND d.kind <> 'Indicator'
        WHERE i.kind = 'Indicator';
        """;

    /// <summary>
    /// The 0 to 17 population for each LA and collection: the ONS mid-year estimate for the year in which the
    /// reporting period starts, or the latest earlier one when that year is not published yet.
    /// </summary>
    public const string Population = """
        CREATE TEMP TABLE bench_population ON COMMIT DROP AS
        SELECT c.id AS collection_id, la.code AS la_code,
               (SELECT p.population FROM child_populations p
                WHERE p.la_code = la.code AND p.year <= extract(year FROM c.period_start)
                ORDER BY p.year DESC LIMIT 1)::numeric AS population
        FROM collections c CROSS JOIN local_authorities la
        WHERE c.survey_id = @survey_id AND c.id = ANY(@collection_ids)
        """;

    /// <summary>
    /// One row per included return and item measure: the number, or why there is none. Each return's values are
    /// unnested once (jsonb_each_text); a key with a JSON null is "not recorded", a missing key "not answered".
    /// LAs and regions get integer ids so the sorts below compare integers. Small counts (1 to the threshold) are marked.
    /// </summary>
    public const string ItemValues = """
        CREATE TEMP TABLE bench_las ON COMMIT DROP AS
        SELECT (row_number() OVER (ORDER BY code))::int AS la_no, code AS la_code,
               (dense_rank() OVER (ORDER BY region_code))::int AS region_no, region_code
        FROM local_authorities;
        CREATE TEMP TABLE bench_neighbours ON COMMIT DROP AS
        SELECT g.la_no AS group_no, m.la_no AS member_no
        FROM statistical_neighbours sn
        JOIN bench_las g ON g.la_code = sn.la_code
        JOIN bench_las m ON m.la_code = sn.neighbour_la_code;
        CREATE TEMP TABLE bench_returns ON COMMIT DROP AS
        SELECT r.id, r.collection_id, l.la_no, l.region_no
        FROM returns r
        JOIN collections c ON c.id = r.collection_id
        JOIN bench_las l ON l.la_code = r.la_code
        WHERE c.survey_id = @survey_id AND r.collection_id = ANY(@collection_ids) AND r.status = ANY(@statuses);
        CREATE TEMP TABLE bench_kv ON COMMIT DROP AS
        SELECT r.id AS return_id, e.key, btrim(e.value) AS raw
        FROM bench_returns b
        JOIN returns r ON r.id = b.id
        CROSS JOIN LATERAL jsonb_each_text(r."values") e;
        ANALYZE bench_returns;
        ANALYZE bench_kv;
        CREATE TEMP TABLE bench_values ON COMMIT DROP AS
        SELECT mid, la_no, region_no, kind, higher_is, state, value,
               NULL::numeric AS numerator, NULL::numeric AS denominator,
               coalesce(kind = 'Count' AND value BETWEEN 1 AND @threshold, false) AS small
        FROM (
            SELECT x.mid, x.la_no, x.region_no, x.kind, x.higher_is,
                   CASE WHEN NOT x.present THEN 'NotAnswered'
                        WHEN x.raw IS NULL THEN 'NotRecorded'
                        WHEN x.is_number THEN 'Value'
                        ELSE 'NotAnswered' END AS state,
                   CASE WHEN x.is_number THEN x.raw::numeric END AS value
            FROM (
                SELECT m.mid, b.la_no, b.region_no, m.kind, m.higher_is,
                       kv.key IS NOT NULL AS present, kv.raw,
                       coalesce(kv.raw ~ '^-?[0-9]+(\.[0-9]+)?$', false) AS is_number
                FROM bench_returns b
                JOIN bench_measures m ON m.collection_id = b.collection_id AND m.kind <> 'Indicator'
                LEFT JOIN bench_kv kv ON kv.return_id = b.id AND kv.key = m.measure_key) x) y;
        ANALYZE bench_values;
        """;

    /// <summary>Indicators per LA from the item rows (and the population for rates per 10,000 children).</summary>
    public const string IndicatorValues = """
        INSERT INTO bench_values (mid, la_no, region_no, kind, higher_is, state, value, numerator, denominator, small)
        SELECT i.mid, n.la_no, n.region_no, 'Indicator', m.higher_is,
               CASE WHEN n.state = 'Value' AND o.den_state = 'Value' THEN CASE WHEN o.den = 0 THEN 'NotApplicable' ELSE 'Value' END
                    WHEN n.state = 'NotRecorded' OR o.den_state = 'NotRecorded' THEN 'NotRecorded'
                    ELSE 'NotAnswered' END,
               CASE WHEN n.state = 'Value' AND o.den_state = 'Value' AND o.den <> 0
                    THEN round(n.value / o.den * i.multiplier, 10) END,
               CASE WHEN n.state = 'Value' THEN n.value END,
               CASE WHEN o.den_state = 'Value' THEN o.den END,
               coalesce(n.state = 'Value' AND o.den_state = 'Value' AND o.den <> 0
                 AND ((n.kind = 'Count' AND n.value BETWEEN 1 AND @threshold) OR (o.den_kind = 'Count' AND o.den BETWEEN 1 AND @threshold)), false)
        FROM bench_indicators i
        JOIN bench_measures m ON m.mid = i.mid
        JOIN bench_values n ON n.mid = i.numerator_mid
        LEFT JOIN bench_values d ON NOT i.per_population AND d.mid = i.denominator_mid AND d.la_no = n.la_no
        LEFT JOIN bench_las l ON i.per_population AND l.la_no = n.la_no
        LEFT JOIN bench_population p ON i.per_population AND p.collection_id = i.collection_id AND p.la_code = l.la_code
        CROSS JOIN LATERAL (
            SELECT CASE WHEN i.per_population THEN CASE WHEN p.population IS NULL THEN 'NotAnswered' ELSE 'Value' END
                        ELSE coalesce(d.state, 'NotAnswered') END AS den_state,
                   CASE WHEN i.per_population THEN p.population ELSE d.value END AS den,
                   CASE WHEN i.per_population THEN 'Population' ELSE d.kind END AS den_kind) o;
        ANALYZE bench_values;
        """;

    /// <summary>
    /// Each LA's value with its rank among the LAs reporting a value and its quartile band. Suppressed is the small flag
    /// (primary suppression), or for a collection whose disclosure is reused (@reuse_collection_ids, from the build
    /// at the same place in @reuse_build_ids) that build's flag: its secondary suppression comes with it.
    /// </summary>
    public const string LaValues = """
        INSERT INTO benchmark_la_values (build_id, collection_id, la_code, measure_key, series_key, state, value,
                                         numerator, denominator, small, suppressed, rank, rank_of, quartile)
        SELECT @build_id, m.collection_id, l.la_code, m.measure_key, m.series_key, r.state, r.value, r.numerator, r.denominator, r.small,
               r.small OR s.la_code IS NOT NULL,
               CASE WHEN r.state = 'Value' THEN r.rnk END,
               CASE WHEN r.state = 'Value' THEN r.n END,
               CASE WHEN r.state = 'Value' THEN ((r.rnk - 1) * 4 / r.n + 1)::int END
        FROM (
            SELECT v.*,
                   rank() OVER (PARTITION BY v.mid, v.state = 'Value'
                                ORDER BY CASE WHEN v.higher_is = 'Worse' THEN v.value ELSE -v.value END) AS rnk,
                   count(*) OVER (PARTITION BY v.mid, v.state = 'Value') AS n
            FROM bench_values v) r
        JOIN bench_measures m ON m.mid = r.mid
        JOIN bench_las l ON l.la_no = r.la_no
        LEFT JOIN (SELECT p.collection_id, p.la_code, p.measure_key
                   FROM unnest(@reuse_collection_ids::int[], @reuse_build_ids::bigint[]) AS u(collection_id, build_id)
                   JOIN benchmark_la_values p ON p.build_id = u.build_id AND p.collection_id = u.collection_id
                   WHERE p.suppressed AND NOT p.small) s
          ON s.collection_id = m.collection_id AND s.la_code = l.la_code AND s.measure_key = m.measure_key
        """;

    private const string Aggregates = """
               sum(value) FILTER (WHERE ok) AS total,
               sum(numerator) FILTER (WHERE ok) AS numerator_total,
               sum(denominator) FILTER (WHERE ok) AS denominator_total,
               avg(value) FILTER (WHERE ok) AS mean,
               percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY fvalue) FILTER (WHERE ok) AS q,
               min(value) FILTER (WHERE ok) AS min,
               max(value) FILTER (WHERE ok) AS max,
               min(value) FILTER (WHERE ok AND NOT small) AS public_min,
               max(value) FILTER (WHERE ok AND NOT small) AS public_max,
               count(*) FILTER (WHERE ok) AS reporting_count,
               count(*) FILTER (WHERE not_recorded) AS not_recorded_count,
               count(*) FILTER (WHERE ok AND small) AS small_count
        """;

    /// <summary>
    /// England and each region (GROUPING SETS), and each LA's statistical-neighbour group. Suppressed statistics are
    /// none (set later by disclosure control), or a reused collection's flags from its earlier build (as LaValues). One sort per group gives
    /// all three quartiles (percentile_cont with an array: linear interpolation, as Excel's QUARTILE.INC).
    /// The input first gets the state as booleans and the value already as float8: the neighbour groups join each
    /// LA value to the 10 groups it is in (900k rows), so a text comparison or cast per row and aggregate is paid
    /// millions of times. (Every row is kept: a group whose LAs all left the item unanswered still gets a row.)
    /// </summary>
    public const string AreaValues = $"""
        CREATE TEMP TABLE bench_area_input ON COMMIT DROP AS
        SELECT mid, la_no, region_no, state = 'Value' AS ok, state = 'NotRecorded' AS not_recorded,
               value, value::float8 AS fvalue, numerator, denominator, small
        FROM bench_values;
        ANALYZE bench_area_input;
        INSERT INTO benchmark_area_values (build_id, collection_id, measure_key, series_key, area_level, area_code,
               total, numerator_total, denominator_total, rate, mean, median, lower_quartile, upper_quartile, min, max,
               public_min, public_max, reporting_count, not_recorded_count, small_count, suppressed_statistics)
        SELECT @build_id, m.collection_id, m.measure_key, m.series_key, a.area_level, c.area_code,
               CASE WHEN m.kind = 'Count' THEN a.total END,
               CASE WHEN m.kind = 'Indicator' THEN a.numerator_total END,
               CASE WHEN m.kind = 'Indicator' THEN a.denominator_total END,
               CASE WHEN m.kind = 'Indicator' THEN round(a.numerator_total / nullif(a.denominator_total, 0) * m.multiplier, 10) END,
               round(a.mean, 10), round(a.q[2]::numeric, 10), round(a.q[1]::numeric, 10), round(a.q[3]::numeric, 10),
               a.min, a.max, a.public_min, a.public_max, a.reporting_count, a.not_recorded_count, a.small_count,
               coalesce(s.bits, 0)
        FROM (
            SELECT mid,
                   CASE WHEN GROUPING(region_no) = 1 THEN 'National' ELSE 'Regional' END AS area_level,
                   CASE WHEN GROUPING(region_no) = 1 THEN 0 ELSE region_no END AS area_no,
            {Aggregates}
            FROM bench_area_input
            GROUP BY GROUPING SETS ((mid), (mid, region_no))
            UNION ALL
            SELECT v.mid, 'Neighbours', sn.group_no,
            {Aggregates}
            FROM bench_area_input v JOIN bench_neighbours sn ON sn.member_no = v.la_no
            GROUP BY v.mid, sn.group_no) a
        JOIN bench_measures m ON m.mid = a.mid
        LEFT JOIN (SELECT DISTINCT region_no, region_code FROM bench_las) rg ON a.area_level = 'Regional' AND rg.region_no = a.area_no
        LEFT JOIN bench_las gl ON a.area_level = 'Neighbours' AND gl.la_no = a.area_no
        CROSS JOIN LATERAL (
            SELECT CASE a.area_level WHEN 'National' THEN 'E92000001' WHEN 'Regional' THEN rg.region_code ELSE gl.la_code END AS area_code) c
        LEFT JOIN (SELECT p.collection_id, p.measure_key, p.area_level, p.area_code, p.suppressed_statistics AS bits
                   FROM unnest(@reuse_collection_ids::int[], @reuse_build_ids::bigint[]) AS u(collection_id, build_id)
                   JOIN benchmark_area_values p ON p.build_id = u.build_id AND p.collection_id = u.collection_id
                   WHERE p.suppressed_statistics <> 0) s
          ON s.collection_id = m.collection_id AND s.measure_key = m.measure_key AND s.area_level = a.area_level AND s.area_code = c.area_code
        """;

    /// <summary>
    /// The LA values disclosure control works on: those with a number (a value with none is shown as x or z, never as a
    /// figure, and is in no relation), in a fixed order: complements that score the same are chosen by the order cells
    /// were met, so rows read in heap order (which depends on how the partitions' inserts interleaved) could hide a
    /// slightly different set each build. Byte order (COLLATE "C"): the same on every server whatever its locale, and
    /// the order they were read in before on this project's C.UTF-8 clusters.
    /// </summary>
    public const string DisclosureLaValues = """
        SELECT collection_id, la_code, measure_key, value, denominator, small
        FROM benchmark_la_values WHERE build_id = @build_id AND collection_id = ANY(@collection_ids) AND state = 'Value' AND value IS NOT NULL
        ORDER BY collection_id, la_code COLLATE "C", measure_key COLLATE "C"
        """;

    /// <summary>
    /// Every area row of the collections (the level as 0 National, 1 Regional, 2 Neighbours), in no particular order:
    /// disclosure control looks area rows up by measure, level and code, and makes their cells in the order of the
    /// areas and measures, so their order read cannot change what is hidden (sorting them was a third of the read).
    /// </summary>
    public const string DisclosureAreaValues = """
        SELECT collection_id, measure_key, CASE area_level WHEN 'National' THEN 0 WHEN 'Regional' THEN 1 ELSE 2 END, area_code,
               total, rate, mean, numerator_total, denominator_total, reporting_count
        FROM benchmark_area_values WHERE build_id = @build_id AND collection_id = ANY(@collection_ids)
        """;

    /// <summary>
    /// What a collection's figures are computed from, hashed: per collection its included returns (LA, status and
    /// values, in a fixed order; jsonb's text form is canonical), then the geography and populations every collection
    /// shares. The rest of the fingerprint (definition, measures, options, code) is added in C#.
    /// </summary>
    public const string DisclosureInputs = """
        SELECT r.collection_id,
               md5(string_agg(r.la_code || ' ' || r.status || ' ' || r."values"::text, E'\n' ORDER BY r.la_code, r.id))
        FROM returns r
        WHERE r.collection_id = ANY(@collection_ids) AND r.status = ANY(@statuses)
        GROUP BY r.collection_id;
        SELECT md5(concat_ws(E'\n',
            (SELECT string_agg(code || ' ' || region_code, ',' ORDER BY code) FROM local_authorities),
            (SELECT string_agg(la_code || ' ' || neighbour_la_code || ' ' || rank, ',' ORDER BY la_code, rank, neighbour_la_code) FROM statistical_neighbours),
            (SELECT string_agg(la_code || ' ' || year || ' ' || population, ',' ORDER BY la_code, year) FROM child_populations)));
        """;

    /// <summary>
    /// For each collection, the newest successful build of the same survey and kind with the same fingerprint whose rows
    /// are still kept (pruning deletes older builds' rows).
    /// </summary>
    public const string ReusableDisclosure = """
        SELECT DISTINCT ON (i.collection_id) i.collection_id, i.build_id
        FROM unnest(@collection_ids::int[], @fingerprints::text[]) AS f(collection_id, fingerprint)
        JOIN benchmark_disclosure_inputs i ON i.collection_id = f.collection_id AND i.fingerprint = f.fingerprint
        JOIN benchmark_builds b ON b.id = i.build_id
        WHERE b.survey_id = @survey_id AND b.kind = @kind AND b.status = 'Succeeded'
          AND EXISTS (SELECT 1 FROM benchmark_measures m WHERE m.build_id = b.id AND m.collection_id = i.collection_id)
        ORDER BY i.collection_id, i.build_id DESC
        """;

    public const string InsertDisclosureInputs = """
        INSERT INTO benchmark_disclosure_inputs (build_id, collection_id, fingerprint, reused_from_build_id)
        SELECT @build_id, u.collection_id, u.fingerprint, nullif(u.reused_from, 0)
        FROM unnest(@collection_ids::int[], @fingerprints::text[], @reused_from::bigint[]) AS u(collection_id, fingerprint, reused_from)
        """;

    public const string DisclosureGeography = """
        SELECT code, region_code FROM local_authorities ORDER BY code;
        SELECT la_code, neighbour_la_code FROM statistical_neighbours ORDER BY la_code, rank;
        """;

    /// <summary>
    /// Secondary suppression's complements (primary suppression is set from small by LaValues). The collections again
    /// (@in_collections, each once), so that PostgreSQL hashes only their rows, not every row of the build, to join the flags.
    /// </summary>
    public const string MarkSuppressedLaValues = """
        UPDATE benchmark_la_values v SET suppressed = true
        FROM unnest(@collection_ids::int[], @la_codes::text[], @measure_keys::text[]) AS u(collection_id, la_code, measure_key)
        WHERE v.build_id = @build_id AND v.collection_id = ANY(@in_collections) AND v.collection_id = u.collection_id
          AND v.la_code = u.la_code AND v.measure_key = u.measure_key
        """;

    public const string MarkSuppressedAreaValues = """
        UPDATE benchmark_area_values a SET suppressed_statistics = u.bits
        FROM unnest(@collection_ids::int[], @measure_keys::text[], @area_levels::text[], @area_codes::text[], @bits::int[])
             AS u(collection_id, measure_key, area_level, area_code, bits)
        WHERE a.build_id = @build_id AND a.collection_id = ANY(@in_collections) AND a.collection_id = u.collection_id
          AND a.measure_key = u.measure_key AND a.area_level = u.area_level AND a.area_code = u.area_code
        """;

    /// <summary>Included returns per collection, to balance the partitions.</summary>
    public const string ReturnsPerCollection = """
        SELECT collection_id, count(*) FROM returns
        WHERE collection_id = ANY(@collection_ids) AND status = ANY(@statuses)
        GROUP BY collection_id
        """;

    /// <summary>One partition's rows (other partitions of the same build may have committed theirs already).</summary>
    public const string Counts = """
        SELECT (SELECT count(*) FROM benchmark_measures WHERE build_id = @build_id AND collection_id = ANY(@collection_ids)),
               (SELECT count(*) FROM benchmark_la_values WHERE build_id = @build_id AND collection_id = ANY(@collection_ids)),
               (SELECT count(*) FROM benchmark_area_values WHERE build_id = @build_id AND collection_id = ANY(@collection_ids)),
               (SELECT count(*) FROM bench_returns)
        """;

    /// <summary>The switch: one short transaction; the partial unique index allows one current build per survey and kind.</summary>
    public const string Switch = """
        UPDATE benchmark_builds SET is_current = false WHERE survey_id = @survey_id AND kind = @kind AND is_current AND id <> @build_id;
        UPDATE benchmark_builds SET is_current = true, status = 'Succeeded', finished_at = @finished_at, duration_ms = @duration_ms,
               collection_count = @collection_count, return_count = @return_count, measure_count = @measure_count,
               la_row_count = @la_row_count, area_row_count = @area_row_count
        WHERE id = @build_id;
        """;

    public const string MarkFailed = """
        UPDATE benchmark_builds SET status = 'Failed', is_current = false, finished_at = @finished_at,
               duration_ms = @duration_ms, error = @error
        WHERE id = @build_id;
        DELETE FROM benchmark_area_values WHERE build_id = @build_id;
        DELETE FROM benchmark_la_values WHERE build_id = @build_id;
        DELETE FROM benchmark_measures WHERE build_id = @build_id;
        """;

    /// <summary>Under the lock no other build runs, so a build still marked Running was abandoned (its process died).</summary>
    public const string AbandonRunning = """
        UPDATE benchmark_builds SET status = 'Failed', finished_at = @finished_at, error = 'Abandoned: the process running the build stopped.'
        WHERE status = 'Running'
        """;

    /// <summary>Without taking the lock: a Running build is abandoned when no session holds the build lock.</summary>
    public const string AbandonRunningWithoutHolder = """
        UPDATE benchmark_builds SET status = 'Failed', finished_at = @finished_at,
               error = 'Abandoned: the process or database session running the build stopped.'
        WHERE status = 'Running'
          AND NOT EXISTS (SELECT 1 FROM pg_locks
                          -- Advisory locks belong to one database; another database on the server may hold its own.
                          WHERE locktype = 'advisory' AND granted AND classid = @lock_class::oid AND objid = @lock_object::oid
                            AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
        """;

    /// <summary>Deletes the rows of builds that are neither current nor among the newest few successful ones.</summary>
    public const string Prune = """
        WITH keep AS (
            SELECT id FROM (
                SELECT id, row_number() OVER (ORDER BY started_at DESC, id DESC) AS n
                FROM benchmark_builds WHERE survey_id = @survey_id AND kind = @kind AND status = 'Succeeded') k
            WHERE n <= @keep),
        old AS (
            SELECT id FROM benchmark_builds
            WHERE survey_id = @survey_id AND kind = @kind AND NOT is_current AND id NOT IN (SELECT id FROM keep)
              AND (EXISTS (SELECT 1 FROM benchmark_area_values a WHERE a.build_id = benchmark_builds.id)
                OR EXISTS (SELECT 1 FROM benchmark_la_values l WHERE l.build_id = benchmark_builds.id)
                OR EXISTS (SELECT 1 FROM benchmark_measures m WHERE m.build_id = benchmark_builds.id))),
        a AS (DELETE FROM benchmark_area_values WHERE build_id IN (SELECT id FROM old)),
        l AS (DELETE FROM benchmark_la_values WHERE build_id IN (SELECT id FROM old))
        DELETE FROM benchmark_measures WHERE build_id IN (SELECT id FROM old)
        """;
}
