using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kryptos.Connect.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SharedCountersAndKeyGenerations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Generation",
                table: "ServerKeys",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing keys are numbered in activation order before the unique index is created
            // (every database holds at least a current and a next key per use). Keep this step when
            // the migration is regenerated.
            migrationBuilder.Sql("""
                UPDATE "ServerKeys" SET "Generation" = (
                  SELECT COUNT(*) FROM "ServerKeys" AS earlier
                  WHERE earlier."Use" = "ServerKeys"."Use" AND earlier."ActivatesAt" < "ServerKeys"."ActivatesAt")
                """);


            migrationBuilder.CreateTable(
                name: "SharedCounters",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WindowStart = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SharedCounters", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServerKeys_Use_Generation",
                table: "ServerKeys",
                columns: new[] { "Use", "Generation" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SharedCounters_ExpiresAt",
                table: "SharedCounters",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SharedCounters");

            migrationBuilder.DropIndex(
                name: "IX_ServerKeys_Use_Generation",
                table: "ServerKeys");

            migrationBuilder.DropColumn(
                name: "Generation",
                table: "ServerKeys");
        }
    }
}
