using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FgcReturns.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class CollectionPublicationDate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "publication_date",
                table: "collections",
                type: "date",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "publication_date",
                table: "collections");
        }
    }
}
