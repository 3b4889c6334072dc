// Bearer tokens and their minting live in the application layer, shared with the `ledger admin token` verb.
global using Ledger.Application.Access;
