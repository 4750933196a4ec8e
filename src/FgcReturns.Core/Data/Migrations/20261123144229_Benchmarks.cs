using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace FgcReturns.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class Benchmarks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "benchmark_build_requests",
                columns: table => new
                {
                    survey_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    run_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    job_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_benchmark_build_requests", x => x.survey_id);
                });

            migrationBuilder.CreateTable(
                name: "benchmark_builds",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    survey_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    is_current = table.Column<bool>(type: "boolean", nullable: false),
                    trigger = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    duration_ms = table.Column<long>(type: "bigint", nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    series_version = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    suppression_threshold = table.Column<int>(type: "integer", nullable: false),
                    collection_count = table.Column<int>(type: "integer", nullable: false),
                    return_count = table.Column<int>(type: "integer", nullable: false),
                    measure_count = table.Column<int>(type: "integer", nullable: false),
                    la_row_count = table.Column<int>(type: "integer", nullable: false),
                    area_row_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_benchmark_builds", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "benchmark_area_values",
                columns: table => new
                {
                    build_id = table.Column<long>(type: "bigint", nullable: false),
                    collection_id = table.Column<int>(type: "integer", nullable: false),
                    measure_key = table.Column<string>(type: "text", nullable: false),
                    area_level = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    area_code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: false),
                    series_key = table.Column<string>(type: "text", nullable: false),
                    total = table.Column<decimal>(type: "numeric", nullable: true),
                    numerator_total = table.Column<decimal>(type: "numeric", nullable: true),
                    denominator_total = table.Column<decimal>(type: "numeric", nullable: true),
                    rate = table.Column<decimal>(type: "numeric", nullable: true),
                    mean = table.Column<decimal>(type: "numeric", nullable: true),
                    median = table.Column<decimal>(type: "numeric", nullable: true),
                    lower_quartile = table.Column<decimal>(type: "numeric", nullable: true),
                    upper_quartile = table.Column<decimal>(type: "numeric", nullable: true),
                    min = table.Column<decimal>(type: "numeric", nullable: true),
                    max = table.Column<decimal>(type: "numeric", nullable: true),
                    public_min = table.Column<decimal>(type: "numeric", nullable: true),
                    public_max = table.Column<decimal>(type: "numeric", nullable: true),
                    reporting_count = table.Column<int>(type: "integer", nullable: false),
                    not_recorded_count = table.Column<int>(type: "integer", nullable: false),
                    small_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_benchmark_area_values", x => new { x.build_id, x.collection_id, x.measure_key, x.area_level, x.area_code });
                    table.ForeignKey(
                        name: "fk_benchmark_area_values_benchmark_build_build_id",
                        column: x => x.build_id,
                        principalTable: "benchmark_builds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "benchmark_la_values",
                columns: table => new
                {
                    build_id = table.Column<long>(type: "bigint", nullable: false),
                    collection_id = table.Column<int>(type: "integer", nullable: false),
                    la_code = table.Column<string>(type: "text", nullable: false),
                    measure_key = table.Column<string>(type: "text", nullable: false),
                    series_key = table.Column<string>(type: "text", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    value = table.Column<decimal>(type: "numeric", nullable: true),
                    numerator = table.Column<decimal>(type: "numeric", nullable: true),
                    denominator = table.Column<decimal>(type: "numeric", nullable: true),
                    small = table.Column<bool>(type: "boolean", nullable: false),
                    rank = table.Column<int>(type: "integer", nullable: true),
                    rank_of = table.Column<int>(type: "integer", nullable: true),
                    quartile = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_benchmark_la_values", x => new { x.build_id, x.collection_id, x.la_code, x.measure_key });
                    table.ForeignKey(
                        name: "fk_benchmark_la_values_benchmark_builds_build_id",
                        column: x => x.build_id,
                        principalTable: "benchmark_builds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "benchmark_measures",
                columns: table => new
                {
                    build_id = table.Column<long>(type: "bigint", nullable: false),
                    collection_id = table.Column<int>(type: "integer", nullable: false),
                    measure_key = table.Column<string>(type: "text", nullable: false),
                    series_key = table.Column<string>(type: "text", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    label = table.Column<string>(type: "text", nullable: false),
                    unit = table.Column<string>(type: "text", nullable: true),
                    section = table.Column<string>(type: "text", nullable: true),
                    numerator = table.Column<string>(type: "text", nullable: true),
                    denominator = table.Column<string>(type: "text", nullable: true),
                    multiplier = table.Column<decimal>(type: "numeric", nullable: true),
                    higher_is = table.Column<string>(type: "text", nullable: true),
                    sort_order = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_benchmark_measures", x => new { x.build_id, x.collection_id, x.measure_key });
                    table.ForeignKey(
                        name: "fk_benchmark_measures_benchmark_builds_build_id",
                        column: x => x.build_id,
                        principalTable: "benchmark_builds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_benchmark_builds_survey_id_kind",
                table: "benchmark_builds",
                columns: new[] { "survey_id", "kind" },
                unique: true,
                filter: "is_current");

            migrationBuilder.CreateIndex(
                name: "ix_benchmark_builds_survey_id_kind_started_at",
                table: "benchmark_builds",
                columns: new[] { "survey_id", "kind", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "benchmark_area_values");

            migrationBuilder.DropTable(
                name: "benchmark_build_requests");

            migrationBuilder.DropTable(
                name: "benchmark_la_values");

            migrationBuilder.DropTable(
                name: "benchmark_measures");

            migrationBuilder.DropTable(
                name: "benchmark_builds");
        }
    }
}
