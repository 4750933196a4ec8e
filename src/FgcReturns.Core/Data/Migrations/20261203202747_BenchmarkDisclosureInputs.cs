using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FgcReturns.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class BenchmarkDisclosureInputs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "benchmark_disclosure_inputs",
                columns: table => new
                {
                    build_id = table.Column<long>(type: "bigint", nullable: false),
                    collection_id = table.Column<int>(type: "integer", nullable: false),
                    fingerprint = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reused_from_build_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_benchmark_disclosure_inputs", x => new { x.build_id, x.collection_id });
                    table.ForeignKey(
                        name: "fk_benchmark_disclosure_inputs_benchmark_builds_build_id",
                        column: x => x.build_id,
                        principalTable: "benchmark_builds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_benchmark_disclosure_inputs_collection_id_fingerprint",
                table: "benchmark_disclosure_inputs",
                columns: new[] { "collection_id", "fingerprint" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "benchmark_disclosure_inputs");
        }
    }
}
