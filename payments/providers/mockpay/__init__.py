"""MockPay: the simulated bank gateway, an installable app that implements payments' provider interface.

Drop it from INSTALLED_APPS and point PAYMENT_PROVIDER at another provider to run without it.
"""
