using System.Reflection;

namespace Kryptos.Connect.Migrations.Postgres;

/// <summary>Names this assembly for the host, which applies the migrations it holds.</summary>
public static class PostgresMigrations
{
    public static Assembly Assembly => typeof(PostgresMigrations).Assembly;
}
