using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kryptos.Connect.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuthorizationServer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LastUsedAt",
                table: "OpenIddictAuthorizations",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "WorkspaceId",
                table: "OpenIddictAuthorizations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ServerKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Use = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ProtectedKey = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ActivatesAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RetiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerKeys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictAuthorizations_Subject_WorkspaceId",
                table: "OpenIddictAuthorizations",
                columns: new[] { "Subject", "WorkspaceId" });

            migrationBuilder.CreateIndex(
                name: "IX_OpenIddictAuthorizations_WorkspaceId",
                table: "OpenIddictAuthorizations",
                column: "WorkspaceId");

            migrationBuilder.CreateIndex(
                name: "IX_ServerKeys_Use_ActivatesAt",
                table: "ServerKeys",
                columns: new[] { "Use", "ActivatesAt" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_OpenIddictAuthorizations_Workspaces_WorkspaceId",
                table: "OpenIddictAuthorizations",
                column: "WorkspaceId",
                principalTable: "Workspaces",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OpenIddictAuthorizations_Workspaces_WorkspaceId",
                table: "OpenIddictAuthorizations");

            migrationBuilder.DropTable(
                name: "ServerKeys");

            migrationBuilder.DropIndex(
                name: "IX_OpenIddictAuthorizations_Subject_WorkspaceId",
                table: "OpenIddictAuthorizations");

            migrationBuilder.DropIndex(
                name: "IX_OpenIddictAuthorizations_WorkspaceId",
                table: "OpenIddictAuthorizations");

            migrationBuilder.DropColumn(
                name: "LastUsedAt",
                table: "OpenIddictAuthorizations");

            migrationBuilder.DropColumn(
                name: "WorkspaceId",
                table: "OpenIddictAuthorizations");
        }
    }
}
