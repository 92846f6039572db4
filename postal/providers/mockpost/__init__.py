"""MockPost: the simulated public postal service, an installable app that implements postal's courier interface.

Drop it from INSTALLED_APPS and point COURIER_PROVIDER at another provider to run without it.
"""
