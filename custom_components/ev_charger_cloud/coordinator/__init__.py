"""The coordinator of a cloud account and its polling strategies.

- ``update_coordinator``: the Home Assistant coordinator (thin): it runs a
  strategy, shows commands' answers and pushed readings, keeps the
  service-disabled repair issue;
- ``errors``: how api errors become translated update errors;
- ``strategy``: what the strategies share (device list, commands' answers);
- ``read_all``: one read of the whole account per poll (Podero, Thor);
- ``budgeted``: device reads spent from a learned budget (Wallbox), with
  ``read_budget``, the model of the cloud's read allowance.

The strategies import nothing from Home Assistant: they are tested with a
stand-in client and clock.
"""

from .update_coordinator import ChargerCloudCoordinator, EVChargerCloudConfigEntry, RuntimeData

__all__ = ["ChargerCloudCoordinator", "EVChargerCloudConfigEntry", "RuntimeData"]
