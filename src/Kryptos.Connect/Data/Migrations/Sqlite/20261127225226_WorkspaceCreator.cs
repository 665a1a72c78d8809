using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kryptos.Connect.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkspaceCreator : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CreatedByUserId",
                table: "Workspaces",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CreatedByUserId",
                table: "Workspaces");
        }
    }
}
