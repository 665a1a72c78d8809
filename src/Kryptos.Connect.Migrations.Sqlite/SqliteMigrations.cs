using System.Reflection;

namespace Kryptos.Connect.Migrations.Sqlite;

/// <summary>Names this assembly for the host, which applies the migrations it holds.</summary>
public static class SqliteMigrations
{
    public static Assembly Assembly => typeof(SqliteMigrations).Assembly;
}
