using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kryptos.Connect.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Usage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UsageBuckets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Granularity = table.Column<int>(type: "INTEGER", nullable: false),
                    Start = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    LatencySumMs = table.Column<double>(type: "REAL", nullable: false),
                    Histogram = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageBuckets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "UsageRecords",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    WorkspaceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClientId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ApiKeyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    GrantId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    LatencyMs = table.Column<double>(type: "REAL", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientIp = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsageRecords", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UsageBuckets_ClientId_Granularity_Start",
                table: "UsageBuckets",
                columns: new[] { "ClientId", "Granularity", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageBuckets_Granularity_Start",
                table: "UsageBuckets",
                columns: new[] { "Granularity", "Start" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageBuckets_WorkspaceId_Granularity_Start_ClientId_KeyId_Route_StatusCode",
                table: "UsageBuckets",
                columns: new[] { "WorkspaceId", "Granularity", "Start", "ClientId", "KeyId", "Route", "StatusCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_ApiKeyId_OccurredAt",
                table: "UsageRecords",
                columns: new[] { "ApiKeyId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_ClientId_OccurredAt",
                table: "UsageRecords",
                columns: new[] { "ClientId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_OccurredAt",
                table: "UsageRecords",
                column: "OccurredAt");

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_UserId_ClientId_OccurredAt",
                table: "UsageRecords",
                columns: new[] { "UserId", "ClientId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_UsageRecords_WorkspaceId_OccurredAt",
                table: "UsageRecords",
                columns: new[] { "WorkspaceId", "OccurredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsageBuckets");

            migrationBuilder.DropTable(
                name: "UsageRecords");
        }
    }
}
