# pce_ta (included by CMakeLists.txt next to this file). The PCE library needs only teepnet_cbor
# and teepnet_base, which link statically as they are.
teepnet_workload_ta(NAME pce_ta SRCS pce_ta.cc DEPS teepnet_workload_pce)
