using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FgcReturns.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BenchSecondarySuppressionFlags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "suppressed",
                table: "benchmark_la_values",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "suppressed_statistics",
                table: "benchmark_area_values",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "suppressed",
                table: "benchmark_la_values");

            migrationBuilder.DropColumn(
                name: "suppressed_statistics",
                table: "benchmark_area_values");
        }
    }
}
