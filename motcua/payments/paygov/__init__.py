"""The public payment gateway (PayGov-style): signed redirect, signed return and IPN, status query.

`protocol` signs and checks messages, `services` applies what the gateway says to payments,
`views` receives the browser's return and the server-to-server notification, `stub` is a local
stand-in of the gateway for tests and demos (`motcua paygov-stub`). See docs/thanh-toan.md.
"""
