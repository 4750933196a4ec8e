using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FgcReturns.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BenchmarkValuesWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_benchmark_area_values_benchmark_build_build_id",
                table: "benchmark_area_values");

            migrationBuilder.DropForeignKey(
                name: "fk_benchmark_la_values_benchmark_builds_build_id",
                table: "benchmark_la_values");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_benchmark_area_values_benchmark_build_build_id",
                table: "benchmark_area_values",
                column: "build_id",
                principalTable: "benchmark_builds",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_benchmark_la_values_benchmark_builds_build_id",
                table: "benchmark_la_values",
                column: "build_id",
                principalTable: "benchmark_builds",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
