using System.Diagnostics;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace FgcReturns.Core.Benchmarks;

public enum BuildOutcome { Succeeded, Failed, AlreadyRunning, NothingToBuild }

public sealed record BenchmarkBuildResult(BuildOutcome Outcome, long? BuildId, TimeSpan Duration, string? Error = null)
{
    /// <summary>Milliseconds per SQL step, for the harness and logs.</summary>
    public IReadOnlyList<(string Step, long Milliseconds)> Steps { get; init; } = [];
}

/// <summary>
/// Builds a survey's benchmarks in PostgreSQL into rows for a new build id, then makes that build current in one
/// short transaction. Readers only read the current build, so they never see a half-built benchmark; a failed build
/// leaves the previous one current. One build at a time, across processes, by a session advisory lock.
/// The computation runs as partitions of whole collections on their own connections and transactions, concurrently;
/// the coordinating connection holds the lock, inserts the build (Running) and switches it to current only after
/// every partition has committed. If any partition fails, the build is marked Failed and all its rows are deleted.
/// </summary>
public sealed class BenchmarkBuilder(
    IDbContextFactory<FgcDbContext> dbFactory,
    SurveyDefinitionCatalog catalog,
    BenchmarkOptions options,
    TimeProvider clock,
    ILogger<BenchmarkBuilder> logger,
    Telemetry.FgcMetrics metrics)
{
    public static IReadOnlyList<ReturnStatus> StatusesFor(BenchmarkKind kind) => kind == BenchmarkKind.Final
        ? [ReturnStatus.Accepted]
        : [ReturnStatus.Accepted, ReturnStatus.Submitted];

    public async Task<BenchmarkBuildResult> BuildAsync(
        string surveyId,
        BenchmarkKind kind,
        BenchmarkTrigger trigger,
        string? requestedBy = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(surveyId);
        var stopwatch = Stopwatch.StartNew();
        List<MeasureSpec> measures;
        string seriesVersion;
        string connectionString;
        List<DisclosureCollection> disclosureCollections;
        Dictionary<int, DateOnly> periodStarts;
        SurveyDefinition newest;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            connectionString = db.Database.GetConnectionString()
                ?? throw new InvalidOperationException("The database has no connection string.");
            var collections = await db.Collections.AsNoTracking().Where(c => c.SurveyId == surveyId)
                .OrderBy(c => c.PeriodStart).Select(c => new { c.Id, c.DefinitionVersion, c.Period, c.PeriodStart }).ToListAsync(ct);
            if (collections.Count == 0)
            {
                return new BenchmarkBuildResult(BuildOutcome.NothingToBuild, null, stopwatch.Elapsed);
            }

            var definitions = collections.Select(c => (c.Id, Definition: catalog.Get(surveyId, c.DefinitionVersion)
                ?? throw new InvalidOperationException($"Survey definition {surveyId} {c.DefinitionVersion} (collection {c.Id}) is not in the catalog."))).ToList();
            newest = SeriesDefinition(surveyId, definitions.Select(d => d.Definition));
            seriesVersion = newest.Version;
            measures = definitions.SelectMany(d => BenchmarkMeasures.For(d.Id, d.Definition, newest))
                .Select((m, i) => m with { Mid = i + 1 }).ToList();
            var periods = collections.ToDictionary(c => c.Id, c => c.Period);
            disclosureCollections = definitions.Select(d => new DisclosureCollection(d.Id, periods[d.Id], d.Definition,
                measures.Where(m => m.CollectionId == d.Id).ToList())).ToList();
            periodStarts = collections.ToDictionary(c => c.Id, c => c.PeriodStart);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        if (!await ScalarAsync<bool>(connection, null, BenchmarkSql.TryLock, ct, LockParameters()))
        {
            logger.LogInformation("Benchmark build for {SurveyId} {Kind} skipped: another build is running.", surveyId, kind);
            return new BenchmarkBuildResult(BuildOutcome.AlreadyRunning, null, stopwatch.Elapsed);
        }

        long buildId = 0;
        try
        {
            await ExecuteAsync(connection, null, BenchmarkSql.AbandonRunning, ct, ("finished_at", clock.GetUtcNow()));
            buildId = await ScalarAsync<long>(connection, null, """
                INSERT INTO benchmark_builds (survey_id, kind, status, is_current, trigger, requested_by, started_at,
                    series_version, suppression_threshold, collection_count, return_count, measure_count, la_row_count, area_row_count)
                VALUES (@survey_id, @kind, 'Running', false, @trigger, @requested_by, @started_at, @series_version, @threshold,
                    0, 0, 0, 0, 0)
                RETURNING id
                """, ct,
                ("survey_id", surveyId), ("kind", kind.ToString()), ("trigger", trigger.ToString()),
                ("requested_by", (object?)requestedBy ?? DBNull.Value), ("started_at", clock.GetUtcNow()),
                ("series_version", seriesVersion), ("threshold", options.SuppressionThreshold));

            var statuses = StatusesFor(kind).Select(s => s.ToString()).ToArray();
            var steps = new List<(string, long)>();
            var step = Stopwatch.StartNew();
            var inputs = await DisclosureInputsAsync(connection, surveyId, kind, statuses, disclosureCollections, periodStarts, newest, ct);
            steps.Add(($"Disclosure inputs ({inputs.Count(i => i.ReusedFrom is not null)} of {inputs.Count} collections unchanged)", step.ElapsedMilliseconds));
            var partitions = await PartitionAsync(connection, measures, statuses, ct);
            step.Restart();
            var reused = inputs.Where(i => i.ReusedFrom is not null).ToList();
            var results = await RunPartitionsAsync(partitions, p => BuildPartitionAsync(
                connectionString, buildId, surveyId, statuses, measures.Where(m => p.Contains(m.CollectionId)).ToList(), p, reused, ct), ct);
            steps.Add(($"Partitions ({partitions.Count})", step.ElapsedMilliseconds));
            steps.AddRange(results.SelectMany((r, i) => r.Steps.Select(x => ($"p{i + 1}.{x.Step}", x.Milliseconds))));
            step.Restart();
            var fresh = disclosureCollections.Where(c => !reused.Any(r => r.CollectionId == c.CollectionId)).ToList();
            await ProtectAsync(connection, connectionString, buildId, fresh, steps, ct);
            if (reused.Count > 0)
            {
                logger.LogInformation("Benchmark build {BuildId}: disclosure control of {Reused} of {Collections} collections taken from earlier builds with the same inputs ({Sources}).",
                    buildId, reused.Count, inputs.Count, string.Join(", ", reused.Select(r => $"collection {r.CollectionId} from build {r.ReusedFrom}")));
            }

            await using (var command = new NpgsqlCommand(BenchmarkSql.InsertDisclosureInputs, connection))
            {
                command.Parameters.AddWithValue("build_id", buildId);
                command.Parameters.AddWithValue("collection_ids", inputs.Select(i => i.CollectionId).ToArray());
                command.Parameters.AddWithValue("fingerprints", inputs.Select(i => i.Fingerprint).ToArray());
                command.Parameters.AddWithValue("reused_from", inputs.Select(i => i.ReusedFrom ?? 0).ToArray());
                await command.ExecuteNonQueryAsync(ct);
            }

            step.Restart();
            var counts = (Measures: results.Sum(r => r.Measures), LaRows: results.Sum(r => r.LaRows),
                AreaRows: results.Sum(r => r.AreaRows), Returns: results.Sum(r => r.Returns));

            var elapsed = stopwatch.Elapsed;
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                await ExecuteAsync(connection, tx, BenchmarkSql.Switch, ct,
                    ("build_id", buildId), ("survey_id", surveyId), ("kind", kind.ToString()),
                    ("finished_at", clock.GetUtcNow()), ("duration_ms", (long)elapsed.TotalMilliseconds),
                    ("collection_count", measures.Select(m => m.CollectionId).Distinct().Count()),
                    ("return_count", (int)counts.Returns), ("measure_count", (int)counts.Measures),
                    ("la_row_count", (int)counts.LaRows), ("area_row_count", (int)counts.AreaRows));
                await tx.CommitAsync(ct);
                steps.Add(("Switch", step.ElapsedMilliseconds));
            }

            logger.LogInformation("Benchmark build {BuildId} for {SurveyId} {Kind} succeeded in {Elapsed} ms: {LaRows} LA rows, {AreaRows} area rows.",
                buildId, surveyId, kind, (long)elapsed.TotalMilliseconds, counts.LaRows, counts.AreaRows);
            metrics.BenchmarkBuilt(kind.ToString(), succeeded: true, elapsed, counts.LaRows, counts.AreaRows);
            await PruneAsync(connection, surveyId, kind, ct);
            return new BenchmarkBuildResult(BuildOutcome.Succeeded, buildId, elapsed) { Steps = steps };
        }
        catch (Exception ex) when (buildId != 0 && ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Benchmark build {BuildId} for {SurveyId} {Kind} failed.", buildId, surveyId, kind);
            metrics.BenchmarkBuilt(kind.ToString(), succeeded: false, stopwatch.Elapsed, 0, 0);

            // On a fresh connection: the failure may be that the lock-holding session itself was terminated.
            await using var marker = new NpgsqlConnection(connectionString);
            await marker.OpenAsync(CancellationToken.None);
            await ExecuteAsync(marker, null, BenchmarkSql.MarkFailed, CancellationToken.None,
                ("build_id", buildId), ("finished_at", clock.GetUtcNow()),
                ("duration_ms", (long)stopwatch.Elapsed.TotalMilliseconds), ("error", Truncate(ex.Message, 2000)));
            return new BenchmarkBuildResult(BuildOutcome.Failed, buildId, stopwatch.Elapsed, ex.Message);
        }
        catch (NpgsqlException ex) when (buildId == 0)
        {
            // The session died before the build was recorded: nothing to mark; the next build starts at once.
            logger.LogError(ex, "Benchmark build for {SurveyId} {Kind} could not start.", surveyId, kind);
            return new BenchmarkBuildResult(BuildOutcome.Failed, null, stopwatch.Elapsed, ex.Message);
        }
        finally
        {
            await UnlockAsync(connection);
        }
    }

    /// <summary>
    /// Marks failed every build still Running whose holder is gone: no session holds the build lock, so no build is
    /// running. The lock is a session advisory lock, released by PostgreSQL the moment its session ends (process
    /// killed, connection terminated), so a dead build is detected at once rather than after a lock timeout.
    /// </summary>
    public async Task<int> FailAbandonedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        return await ExecuteAsync(connection, null, BenchmarkSql.AbandonRunningWithoutHolder, ct,
            [("finished_at", clock.GetUtcNow()), .. LockParameters()]);
    }

    private async Task UnlockAsync(NpgsqlConnection connection)
    {
        try
        {
            await ScalarAsync<bool>(connection, null, BenchmarkSql.Unlock, CancellationToken.None, LockParameters());
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The session is gone, and its advisory lock with it.
            logger.LogWarning(ex, "Releasing the benchmark build lock failed; the session had ended, which released it.");
        }
    }

    /// <summary>
    /// Disclosure control over the build's own rows: primary and secondary suppression and the derived-statistic rule
    /// (computed here, in memory, because choosing complements is iterative; every figure was aggregated in SQL),
    /// written back as flags; then the disclosure audit, which fails the build if any suppressed value is recoverable.
    /// </summary>
    private async Task ProtectAsync(NpgsqlConnection connection, string connectionString, long buildId, List<DisclosureCollection> collections,
        List<(string, long)> steps, CancellationToken ct)
    {
        if (collections.Count == 0)
        {
            return; // every collection's flags came with its rows from an earlier build with the same inputs
        }

        var step = Stopwatch.StartNew();
        var collectionIds = collections.Select(c => c.CollectionId).ToArray();

        // The LA rows and the area rows are read at once on two connections (the second also writes half the flags).
        await using var second = new NpgsqlConnection(connectionString);
        await second.OpenAsync(ct);
        var laRead = ReadLaValuesAsync(connection, buildId, collectionIds, ct);
        var areaRead = ReadAreaValuesAsync(second, buildId, collectionIds, ct);
        await Task.WhenAll(laRead, areaRead);
        var (laValues, areaValues) = (await laRead, await areaRead);

        var neighbours = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var las = new List<(string Code, string Region)>();
        await using (var command = new NpgsqlCommand(BenchmarkSql.DisclosureGeography, connection))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                las.Add((reader.GetString(0), reader.GetString(1)));
            }

            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var code = reader.GetString(0);
                if (!neighbours.TryGetValue(code, out var list))
                {
                    neighbours[code] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        var geography = las.Select(l => new DisclosureLa(l.Code, l.Region, neighbours.GetValueOrDefault(l.Code) ?? [])).ToList();
        steps.Add(("Disclosure read", step.ElapsedMilliseconds));
        step.Restart();
        var protectedBuild = BenchmarkDisclosure.ProtectForAudit(collections, geography, laValues, areaValues, options.SuppressionThreshold,
            options.SecondarySuppression, options.MinimumNationalLas(geography.Count), options.MinimumAreaLas);
        steps.Add(("Secondary suppression", step.ElapsedMilliseconds));
        step.Restart();
        var secondary = laValues.Where(v => v.Suppressed && !v.Small).ToList();
        var flagged = areaValues.Where(a => a.Suppressed != SuppressedStatistics.None).ToList();

        // The audit (in memory, on the models protection used, checked against the flags as they will be published)
        // runs while PostgreSQL writes those flags: one is CPU here, the other work in the database. A build the audit
        // fails is failed after the write, and its rows are deleted with it as for any failed build.
        var audit = Task.Run(protectedBuild.Audit, ct);

        // The area flags (about 70,000 rows for ten years) are written in two halves by collection, on this connection
        // and a second one, so that PostgreSQL uses both cores; the LA flags go with the first half. Two transactions
        // are safe: the build is not current until the switch, and a failed build's rows are deleted.
        var half = collections.Select(c => c.CollectionId).Where((_, i) => i % 2 == 1).ToHashSet();
        await Task.WhenAll(
            WriteFlagsAsync(connection, buildId, secondary, [.. flagged.Where(a => !half.Contains(a.CollectionId))], ct),
            WriteFlagsAsync(second, buildId, [], [.. flagged.Where(a => half.Contains(a.CollectionId))], ct));

        steps.Add(("Flags written (alongside the audit)", step.ElapsedMilliseconds));
        var recoverable = await audit;
        steps.Add(("Disclosure audit", step.ElapsedMilliseconds)); // the write and the audit together
        if (recoverable.Count > 0)
        {
            throw new DisclosureAuditException(recoverable);
        }

        logger.LogInformation("Benchmark build {BuildId}: {Secondary} LA values and {Areas} area rows suppressed by secondary suppression; the audit recovered nothing.",
            buildId, secondary.Count, flagged.Count);
    }

    private static async Task<List<DisclosureLaValue>> ReadLaValuesAsync(NpgsqlConnection connection, long buildId, int[] collectionIds, CancellationToken ct)
    {
        var laValues = new List<DisclosureLaValue>();

        // In a transaction with the build's settings: at the default work_mem the sort of ~80,000 rows went to disk.
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, BenchmarkSql.Settings, ct);
        await using (var command = new NpgsqlCommand(BenchmarkSql.DisclosureLaValues, connection, tx))
        {
            command.Parameters.AddWithValue("build_id", buildId);
            command.Parameters.AddWithValue("collection_ids", collectionIds);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                laValues.Add(new DisclosureLaValue
                {
                    CollectionId = reader.GetInt32(0),
                    LaCode = reader.GetString(1),
                    MeasureKey = reader.GetString(2),
                    State = ValueState.Value,
                    Value = reader.GetDecimal(3),
                    Denominator = reader.IsDBNull(4) ? null : reader.GetDecimal(4),
                    Small = reader.GetBoolean(5),
                });
            }
        }
        return laValues;
    }

    private static async Task<List<DisclosureAreaValue>> ReadAreaValuesAsync(NpgsqlConnection connection, long buildId, int[] collectionIds, CancellationToken ct)
    {
        var areaValues = new List<DisclosureAreaValue>();
        await using (var command = new NpgsqlCommand(BenchmarkSql.DisclosureAreaValues, connection))
        {
            command.Parameters.AddWithValue("build_id", buildId);
            command.Parameters.AddWithValue("collection_ids", collectionIds);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                decimal? D(int i) => reader.IsDBNull(i) ? null : reader.GetDecimal(i);
                areaValues.Add(new DisclosureAreaValue
                {
                    CollectionId = reader.GetInt32(0),
                    MeasureKey = reader.GetString(1),
                    Level = reader.GetInt32(2) switch { 0 => AreaLevel.National, 1 => AreaLevel.Regional, _ => AreaLevel.Neighbours },
                    AreaCode = reader.GetString(3),
                    Total = D(4),
                    Rate = D(5),
                    Mean = D(6),
                    NumeratorTotal = D(7),
                    DenominatorTotal = D(8),
                    ReportingCount = reader.GetInt32(9),
                });
            }
        }
        return areaValues;
    }

    private static async Task WriteFlagsAsync(NpgsqlConnection connection, long buildId, List<DisclosureLaValue> secondary,
        List<DisclosureAreaValue> flagged, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, BenchmarkSql.Settings, ct);
        if (secondary.Count > 0)
        {
            await using var command = new NpgsqlCommand(BenchmarkSql.MarkSuppressedLaValues, connection, tx);
            command.Parameters.AddWithValue("build_id", buildId);
            command.Parameters.AddWithValue("collection_ids", secondary.Select(v => v.CollectionId).ToArray());
            command.Parameters.AddWithValue("in_collections", secondary.Select(v => v.CollectionId).Distinct().ToArray());
            command.Parameters.AddWithValue("la_codes", secondary.Select(v => v.LaCode).ToArray());
            command.Parameters.AddWithValue("measure_keys", secondary.Select(v => v.MeasureKey).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }

        if (flagged.Count > 0)
        {
            await using var command = new NpgsqlCommand(BenchmarkSql.MarkSuppressedAreaValues, connection, tx);
            command.Parameters.AddWithValue("build_id", buildId);
            command.Parameters.AddWithValue("collection_ids", flagged.Select(a => a.CollectionId).ToArray());
            command.Parameters.AddWithValue("in_collections", flagged.Select(a => a.CollectionId).Distinct().ToArray());
            command.Parameters.AddWithValue("measure_keys", flagged.Select(a => a.MeasureKey).ToArray());
            command.Parameters.AddWithValue("area_levels", flagged.Select(a => a.Level.ToString()).ToArray());
            command.Parameters.AddWithValue("area_codes", flagged.Select(a => a.AreaCode).ToArray());
            command.Parameters.AddWithValue("bits", flagged.Select(a => (int)a.Suppressed).ToArray());
            await command.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>A collection's disclosure fingerprint in this build, and the earlier build with the same one whose flags it takes.</summary>
    private sealed record DisclosureInput(int CollectionId, string Fingerprint, long? ReusedFrom);

    /// <summary>
    /// Each collection's fingerprint: everything its figures and its suppression flags are computed from. The returns'
    /// values, the geography and the populations are hashed in PostgreSQL; the collection, its definition (by content
    /// hash) and measures, the series definition, the kind's statuses, the disclosure options and this build of the
    /// code (its module version id, so a deployment never reuses flags an older algorithm chose) are added here. A
    /// collection whose fingerprint matches a successful build's takes that build's flags (when reuse is on).
    /// </summary>
    private async Task<List<DisclosureInput>> DisclosureInputsAsync(NpgsqlConnection connection, string surveyId, BenchmarkKind kind,
        string[] statuses, List<DisclosureCollection> collections, Dictionary<int, DateOnly> periodStarts, SurveyDefinition newest, CancellationToken ct)
    {
        var ids = collections.Select(c => c.CollectionId).ToArray();
        var returnsHash = new Dictionary<int, string>();
        string geographyHash;
        await using (var command = new NpgsqlCommand(BenchmarkSql.DisclosureInputs, connection))
        {
            command.Parameters.AddWithValue("collection_ids", ids);
            command.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = statuses });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                returnsHash[reader.GetInt32(0)] = reader.GetString(1);
            }

            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            geographyHash = reader.IsDBNull(0) ? "" : reader.GetString(0);
        }

        var shared = string.Join('\n',
            "code " + typeof(BenchmarkDisclosure).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
            "survey " + surveyId, "kind " + kind, "statuses " + string.Join(',', statuses),
            string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"threshold {options.SuppressionThreshold} secondary {options.SecondarySuppression} coverage {options.MinimumCoverage:R} area {options.MinimumAreaLas}"),
            $"series {newest.SurveyId} {newest.Version} {newest.ContentHash}", "geography " + geographyHash);
        var fingerprints = collections.Select(c => (Id: c.CollectionId, Fingerprint: Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(string.Join('\n', shared,
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"collection {c.CollectionId} {c.Period} {periodStarts[c.CollectionId]:yyyy-MM-dd}"),
                $"definition {c.Definition.Version} {c.Definition.ContentHash}",
                "measures " + BenchmarkMeasures.ToJson(c.Measures.Select(m => m with { Mid = 0 })),
                "returns " + returnsHash.GetValueOrDefault(c.CollectionId, "none"))))))).ToList();

        var reusable = new Dictionary<int, long>();
        if (options.ReuseUnchangedDisclosure)
        {
            await using var command = new NpgsqlCommand(BenchmarkSql.ReusableDisclosure, connection);
            command.Parameters.AddWithValue("collection_ids", fingerprints.Select(f => f.Id).ToArray());
            command.Parameters.AddWithValue("fingerprints", fingerprints.Select(f => f.Fingerprint).ToArray());
            command.Parameters.AddWithValue("survey_id", surveyId);
            command.Parameters.AddWithValue("kind", kind.ToString());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                reusable[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        return [.. fingerprints.Select(f => new DisclosureInput(f.Id, f.Fingerprint, reusable.TryGetValue(f.Id, out var from) ? from : null))];
    }

    private sealed record PartitionResult(long Measures, long LaRows, long AreaRows, long Returns, IReadOnlyList<(string Step, long Milliseconds)> Steps);

    /// <summary>
    /// Splits the collections into at most <see cref="BenchmarkOptions.BuildParallelism"/> partitions of whole
    /// collections, balanced by the LA rows each collection produces (its included returns times its measures):
    /// largest first, each to the lightest partition so far.
    /// </summary>
    private async Task<List<int[]>> PartitionAsync(NpgsqlConnection connection, List<MeasureSpec> measures, string[] statuses, CancellationToken ct)
    {
        var collectionIds = measures.Select(m => m.CollectionId).Distinct().ToArray();
        var returns = new Dictionary<int, long>();
        await using (var command = new NpgsqlCommand(BenchmarkSql.ReturnsPerCollection, connection))
        {
            command.Parameters.AddWithValue("collection_ids", collectionIds);
            command.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = statuses });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                returns[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        var count = Math.Clamp(options.BuildParallelism, 1, collectionIds.Length);
        var partitions = Enumerable.Range(0, count).Select(_ => (Weight: 0L, Ids: new List<int>())).ToList();
        var weighted = collectionIds
            .Select(id => (Id: id, Weight: returns.GetValueOrDefault(id) * measures.Count(m => m.CollectionId == id)))
            .OrderByDescending(c => c.Weight).ThenBy(c => c.Id);
        foreach (var (id, weight) in weighted)
        {
            var lightest = partitions.Select((p, i) => (p.Weight, i)).Min().i;
            partitions[lightest].Ids.Add(id);
            partitions[lightest] = (partitions[lightest].Weight + weight, partitions[lightest].Ids);
        }

        return partitions.Where(p => p.Ids.Count > 0).Select(p => p.Ids.ToArray()).ToList();
    }

    /// <summary>
    /// Runs the partitions concurrently and waits for all of them, so none can commit after a failed build's rows
    /// are deleted. The first failure cancels the others and is the one reported.
    /// </summary>
    private static async Task<PartitionResult[]> RunPartitionsAsync(List<int[]> partitions,
        Func<int[], Task<PartitionResult>> run, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = partitions.Select(async p =>
        {
            try
            {
                return await run(p);
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            return await Task.WhenAll(tasks);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            var first = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
                .FirstOrDefault(e => e is not OperationCanceledException && !IsCancelled(e));
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }

        static bool IsCancelled(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };
    }

    /// <summary>One partition: the set-based SQL for its collections, in its own connection and transaction.</summary>
    private async Task<PartitionResult> BuildPartitionAsync(string connectionString, long buildId, string surveyId,
        string[] statusNames, List<MeasureSpec> measures, int[] collectionIds, List<DisclosureInput> reused, CancellationToken ct)
    {
        var steps = new List<(string, long)>();
        var step = Stopwatch.StartNew();
        void Step(string name)
        {
            steps.Add((name, step.ElapsedMilliseconds));
            step.Restart();
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var build = ("build_id", (object)buildId);
        var threshold = ("threshold", (object)options.SuppressionThreshold);
        var collections = ("collection_ids", (object)collectionIds);
        await ExecuteAsync(connection, tx, BenchmarkSql.Settings, ct);
        var json = new NpgsqlParameter("measures", NpgsqlDbType.Jsonb) { Value = BenchmarkMeasures.ToJson(measures) };
        await ExecuteAsync(connection, tx, BenchmarkSql.InsertMeasures, ct, [json], build);
        Step("InsertMeasures");
        await ExecuteAsync(connection, tx, BenchmarkSql.Population, ct, ("survey_id", surveyId), collections);
        Step("Population");
        var statuses = new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = statusNames };
        await ExecuteAsync(connection, tx, BenchmarkSql.ItemValues, ct, [statuses], threshold, ("survey_id", surveyId), collections);
        Step("ItemValues");
        await ExecuteAsync(connection, tx, BenchmarkSql.IndicatorValues, ct, threshold);
        Step("IndicatorValues");
        var here = reused.Where(r => collectionIds.Contains(r.CollectionId)).ToList();
        var reuseCollections = ("reuse_collection_ids", (object)here.Select(r => r.CollectionId).ToArray());
        var reuseBuilds = ("reuse_build_ids", (object)here.Select(r => r.ReusedFrom!.Value).ToArray());
        await ExecuteAsync(connection, tx, BenchmarkSql.LaValues, ct, build, reuseCollections, reuseBuilds);
        Step("LaValues");
        await ExecuteAsync(connection, tx, BenchmarkSql.AreaValues, ct, build, reuseCollections, reuseBuilds);
        Step("AreaValues");
        var (measureCount, laRows, areaRows, returns) = await ReadCountsAsync(connection, tx, buildId, collectionIds, ct);
        await tx.CommitAsync(ct);
        Step("Commit");
        return new PartitionResult(measureCount, laRows, areaRows, returns, steps);
    }

    /// <summary>
    /// The version whose keys name the series: the highest version that a collection uses or that is published,
    /// so a renamed item (mapped_from) lines up across years under its newest key.
    /// </summary>
    public SurveyDefinition SeriesDefinition(string surveyId, IEnumerable<SurveyDefinition> used)
    {
        var candidates = used.Concat(catalog.Versions(surveyId).Where(d => d.Status == DefinitionStatus.Published)).ToList();
        return candidates.MaxBy(d => d.SemanticVersion)
            ?? throw new InvalidOperationException($"Survey {surveyId} has no definition.");
    }

    private async Task PruneAsync(NpgsqlConnection connection, string surveyId, BenchmarkKind kind, CancellationToken ct)
    {
        try
        {
            await ExecuteAsync(connection, null, BenchmarkSql.Prune, ct,
                ("survey_id", surveyId), ("kind", kind.ToString()), ("keep", options.KeepBuilds));
        }
        catch (NpgsqlException ex)
        {
            // Pruning is housekeeping: the build has already succeeded.
            logger.LogWarning(ex, "Pruning old benchmark builds failed.");
        }
    }

    private static async Task<(long, long, long, long)> ReadCountsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long buildId,
        int[] collectionIds, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(BenchmarkSql.Counts, connection, tx);
        command.Parameters.AddWithValue("build_id", buildId);
        command.Parameters.AddWithValue("collection_ids", collectionIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private static (string, object)[] LockParameters() =>
        [("lock_class", BenchmarkSql.LockClass), ("lock_object", BenchmarkSql.LockObject)];

    private static Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters) =>
        ExecuteAsync(connection, tx, sql, ct, [], parameters);

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct,
        NpgsqlParameter[] typed, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 600 };
        command.Parameters.AddRange(typed);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
