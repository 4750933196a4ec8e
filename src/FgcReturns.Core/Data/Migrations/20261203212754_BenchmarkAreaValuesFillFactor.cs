using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FgcReturns.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BenchmarkAreaValuesFillFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "benchmark_area_values")
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "benchmark_area_values")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 50);
        }
    }
}
