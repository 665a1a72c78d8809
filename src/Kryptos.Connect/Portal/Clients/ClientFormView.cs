namespace Kryptos.Connect.Portal.Clients;

/// <summary>The model of the shared form fields partial.</summary>
public sealed record ClientFormView(ClientForm Form, bool IsNew);
