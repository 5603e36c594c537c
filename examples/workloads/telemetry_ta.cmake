# telemetry_ta (included by CMakeLists.txt next to this file). The workload library decrypts the
# telemetry with teepnet/crypto, so for the static build it is compiled once more against the
# static crypto clone.
if(hello_ta_static)
  teepnet_static_ta_clone(teepnet_workload_telemetry_static_ta teepnet_workload_telemetry "\\.cc$"
                          teepnet_cbor teepnet_crypto_static_ta teepnet_base)
  set(telemetry_ta_deps teepnet_workload_telemetry_static_ta)
else()
  set(telemetry_ta_deps teepnet_workload_telemetry)
endif()

teepnet_workload_ta(NAME telemetry_ta SRCS telemetry_ta.cc DEPS ${telemetry_ta_deps})
