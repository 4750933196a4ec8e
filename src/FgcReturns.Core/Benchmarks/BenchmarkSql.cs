namespace FgcReturns.Core.Benchmarks;

/// <summary>
/// The set-based build, in PostgreSQL. Every statement takes its inputs as parameters: the build id, the survey,
/// the return statuses, the suppression threshold and the measure list (a jsonb array, unnested with
/// jsonb_to_recordset). Nothing from a definition is concatenated into SQL.
/// </summary>
internal static class BenchmarkSql
{
    /// <summary>Key of the session advisory lock that keeps builds one at a time across processes and Hangfire servers.</summary>
    public const int LockClass = 0x46474342; // "FGCB"
    public const int LockObject = 1;

    public const string TryLock = "SELECT pg_try_advisory_lock(@lock_class, @lock_object)";
    public const string Unlock = "SELECT pg_advisory_unlock(@lock_class, @lock_object)";

    public const string InsertMeasures = """
        INSERT INTO benchmark_measures (build_id, collection_id, measure_key, series_key, kind, label, unit, section,
                                        numerator, denominator, multiplier, higher_is, sort_order)
        SELECT @build_id, x.collection_id, x.measure_key, x.series_key, x.kind, x.label, x.unit, x.section,
               x.numerator, x.denominator, x.multiplier, x.higher_is, x.sort_order
        FROM jsonb_to_recordset(@measures) AS x(collection_id int, measure_key text, series_key text, kind text, label text,
             unit text, section text, numerator text, denominator text, multiplier numeric, higher_is text, sort_order int)
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
        WHERE c.survey_id = @survey_id
        """;

    /// <summary>One row per included return and item measure: the number, or why there is none.</summary>
    public const string ItemValues = """
        CREATE TEMP TABLE bench_values ON COMMIT DROP AS
        SELECT r.collection_id, r.la_code, la.region_code, m.measure_key, m.series_key, m.kind, m.higher_is,
               NULL::numeric AS multiplier,
               CASE WHEN NOT (r."values" ? m.measure_key) THEN 'NotAnswered'
                    WHEN jsonb_typeof(r."values" -> m.measure_key) = 'null' THEN 'NotRecorded'
                    WHEN btrim(r."values" ->> m.measure_key) ~ '^-?[0-9]+(\.[0-9]+)?$' THEN 'Value'
                    ELSE 'NotAnswered' END AS state,
               CASE WHEN btrim(r."values" ->> m.measure_key) ~ '^-?[0-9]+(\.[0-9]+)?$'
                    THEN btrim(r."values" ->> m.measure_key)::numeric END AS value,
               NULL::numeric AS numerator,
               NULL::numeric AS denominator
        FROM returns r
        JOIN collections c ON c.id = r.collection_id
        JOIN local_authorities la ON la.code = r.la_code
        JOIN benchmark_measures m ON m.build_id = @build_id AND m.collection_id = r.collection_id AND m.kind <> 'Indicator'
        WHERE c.survey_id = @survey_id AND r.status = ANY(@statuses)
        """;

    /// <summary>Indicators per LA from the item rows (and the population for rates per 10,000 children).</summary>
    public const string IndicatorValues = """
        INSERT INTO bench_values (collection_id, la_code, region_code, measure_key, series_key, kind, higher_is, multiplier,
                                  state, value, numerator, denominator)
        SELECT n.collection_id, n.la_code, n.region_code, m.measure_key, m.series_key, m.kind, m.higher_is, m.multiplier,
               CASE WHEN n.state = 'Value' AND o.den_state = 'Value' THEN CASE WHEN o.den = 0 THEN 'NotApplicable' ELSE 'Value' END
                    WHEN n.state = 'NotRecorded' OR o.den_state = 'NotRecorded' THEN 'NotRecorded'
                    ELSE 'NotAnswered' END,
               CASE WHEN n.state = 'Value' AND o.den_state = 'Value' AND o.den <> 0
                    THEN round(n.value / o.den * m.multiplier, 10) END,
               CASE WHEN n.state = 'Value' THEN n.value END,
               CASE WHEN o.den_state = 'Value' THEN o.den END
        FROM benchmark_measures m
        JOIN bench_values n ON n.collection_id = m.collection_id AND n.measure_key = m.numerator
        LEFT JOIN bench_values d ON m.denominator <> 'population_0_17'
             AND d.collection_id = n.collection_id AND d.la_code = n.la_code AND d.measure_key = m.denominator
        LEFT JOIN bench_population p ON m.denominator = 'population_0_17'
             AND p.collection_id = n.collection_id AND p.la_code = n.la_code
        CROSS JOIN LATERAL (
            SELECT CASE WHEN m.denominator = 'population_0_17'
                        THEN CASE WHEN p.population IS NULL THEN 'NotAnswered' ELSE 'Value' END
                        ELSE coalesce(d.state, 'NotAnswered') END AS den_state,
                   CASE WHEN m.denominator = 'population_0_17' THEN p.population ELSE d.value END AS den) o
        WHERE m.build_id = @build_id AND m.kind = 'Indicator'
        """;

    /// <summary>Small counts (1 to the threshold) and rates computed from them: shown as c outside analysts' view.</summary>
    public const string MarkSmall = """
        ALTER TABLE bench_values ADD COLUMN small boolean NOT NULL DEFAULT false;
        UPDATE bench_values v SET small = true
        FROM benchmark_measures m
        WHERE m.build_id = @build_id AND m.collection_id = v.collection_id AND m.measure_key = v.measure_key
          AND v.state = 'Value'
          AND ((m.kind = 'Count' AND v.value BETWEEN 1 AND @threshold)
            OR (m.kind = 'Indicator' AND ((m.numerator IN (SELECT x.measure_key FROM benchmark_measures x
                                                           WHERE x.build_id = @build_id AND x.collection_id = m.collection_id AND x.kind = 'Count')
                                           AND v.numerator BETWEEN 1 AND @threshold)
                                       OR (m.denominator IN (SELECT x.measure_key FROM benchmark_measures x
                                                             WHERE x.build_id = @build_id AND x.collection_id = m.collection_id AND x.kind = 'Count')
                                           AND v.denominator BETWEEN 1 AND @threshold))));
        ANALYZE bench_values;
        """;

    /// <summary>Each LA's value with its rank among the LAs reporting a value and its quartile band.</summary>
    public const string LaValues = """
        INSERT INTO benchmark_la_values (build_id, collection_id, la_code, measure_key, series_key, state, value,
                                         numerator, denominator, small, rank, rank_of, quartile)
        SELECT @build_id, collection_id, la_code, measure_key, series_key, state, value, numerator, denominator, small,
               CASE WHEN state = 'Value' THEN rnk END,
               CASE WHEN state = 'Value' THEN n END,
               CASE WHEN state = 'Value' THEN ((rnk - 1) * 4 / n + 1)::int END
        FROM (
            SELECT v.*,
                   rank() OVER (PARTITION BY v.collection_id, v.measure_key, v.state = 'Value'
                                ORDER BY CASE WHEN v.higher_is = 'Worse' THEN v.value ELSE -v.value END) AS rnk,
                   count(*) OVER (PARTITION BY v.collection_id, v.measure_key, v.state = 'Value') AS n
            FROM bench_values v) ranked
        """;

    private const string Aggregates = """
               CASE WHEN kind = 'Count' THEN sum(value) FILTER (WHERE state = 'Value') END,
               CASE WHEN kind = 'Indicator' THEN sum(numerator) FILTER (WHERE state = 'Value') END,
               CASE WHEN kind = 'Indicator' THEN sum(denominator) FILTER (WHERE state = 'Value') END,
               CASE WHEN kind = 'Indicator' THEN round(sum(numerator) FILTER (WHERE state = 'Value')
                    / nullif(sum(denominator) FILTER (WHERE state = 'Value'), 0) * multiplier, 10) END,
               round(avg(value) FILTER (WHERE state = 'Value'), 10),
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY value::float8) FILTER (WHERE state = 'Value'))::numeric, 10),
               round((percentile_cont(0.25) WITHIN GROUP (ORDER BY value::float8) FILTER (WHERE state = 'Value'))::numeric, 10),
               round((percentile_cont(0.75) WITHIN GROUP (ORDER BY value::float8) FILTER (WHERE state = 'Value'))::numeric, 10),
               min(value) FILTER (WHERE state = 'Value'),
               max(value) FILTER (WHERE state = 'Value'),
               min(value) FILTER (WHERE state = 'Value' AND NOT small),
               max(value) FILTER (WHERE state = 'Value' AND NOT small),
               count(*) FILTER (WHERE state = 'Value'),
               count(*) FILTER (WHERE state = 'NotRecorded'),
               count(*) FILTER (WHERE state = 'Value' AND small)
        """;

    /// <summary>England and each region (GROUPING SETS), and each LA's statistical-neighbour group.</summary>
    public const string AreaValues = $"""
        INSERT INTO benchmark_area_values (build_id, collection_id, measure_key, series_key, area_level, area_code,
               total, numerator_total, denominator_total, rate, mean, median, lower_quartile, upper_quartile, min, max,
               public_min, public_max, reporting_count, not_recorded_count, small_count)
        SELECT @build_id, collection_id, measure_key, series_key,
               CASE WHEN GROUPING(region_code) = 1 THEN 'National' ELSE 'Regional' END,
               CASE WHEN GROUPING(region_code) = 1 THEN 'E92000001' ELSE region_code END,
        {Aggregates}
        FROM bench_values
        GROUP BY GROUPING SETS ((collection_id, measure_key, series_key, kind, multiplier),
                                (collection_id, measure_key, series_key, kind, multiplier, region_code))
        UNION ALL
        SELECT @build_id, collection_id, measure_key, series_key, 'Neighbours', group_la_code,
        {Aggregates}
        FROM (SELECT v.*, sn.la_code AS group_la_code
              FROM bench_values v JOIN statistical_neighbours sn ON sn.neighbour_la_code = v.la_code) g
        GROUP BY collection_id, measure_key, series_key, kind, multiplier, group_la_code
        """;

    public const string Counts = """
        SELECT (SELECT count(*) FROM benchmark_measures WHERE build_id = @build_id),
               (SELECT count(*) FROM benchmark_la_values WHERE build_id = @build_id),
               (SELECT count(*) FROM benchmark_area_values WHERE build_id = @build_id),
               (SELECT count(DISTINCT (collection_id, la_code)) FROM bench_values)
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
