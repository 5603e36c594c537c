# Static copies of the crypto modules for programs that run with nothing from the host: static
# TAs (examples/) and the confidential VM's guest agent (teepnet/runtime/guest). Included by
# teepnet/CMakeLists.txt once every module is defined; sets TEEPNET_STATIC_TA_CRYPTO.
#
# teepnet_crypto links OpenSSL's shared library, which a static program cannot
# use, so for a static TA crypto's own sources, and those of the modules above it that the TA
# needs (hpke, cose, and channel's sealed/receipt parts), are compiled once more against
# libcrypto.a (still only teepnet/crypto code includes OpenSSL). A static TA needs nothing from
# the host in its private root, and its measurement covers all of its code.
find_library(TEEPNET_LIBCRYPTO_STATIC NAMES libcrypto.a)
if(TEEPNET_STATIC_LINK_WORKS AND TEEPNET_LIBCRYPTO_STATIC AND NOT TEEPNET_SANITIZE
   AND NOT TEEPNET_FUZZ)
  # teepnet_static_ta_clone(NAME SOURCE_TARGET REGEX DEPS...): a static library of the .cc
  # files of SOURCE_TARGET whose names match REGEX, linked to DEPS instead of the originals.
  function(teepnet_static_ta_clone name source_target regex)
    get_target_property(sources ${source_target} SOURCES)
    get_target_property(dir ${source_target} SOURCE_DIR)
    list(FILTER sources INCLUDE REGEX "${regex}")
    # Sources are relative to the library's folder unless it listed them absolute.
    set(files)
    foreach(source ${sources})
      if(IS_ABSOLUTE ${source})
        list(APPEND files ${source})
      else()
        list(APPEND files ${dir}/${source})
      endif()
    endforeach()
    add_library(${name} STATIC ${files})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_compile_options(${name} PRIVATE ${TEEPNET_WARNINGS})
    target_link_libraries(${name} PUBLIC ${ARGN})
  endfunction()

  get_target_property(crypto_sources teepnet_crypto SOURCES)
  get_target_property(crypto_dir teepnet_crypto SOURCE_DIR)
  list(TRANSFORM crypto_sources PREPEND ${crypto_dir}/)
  add_library(teepnet_crypto_static_ta STATIC ${crypto_sources})
  target_include_directories(teepnet_crypto_static_ta PUBLIC ${PROJECT_SOURCE_DIR}
                             PRIVATE ${OPENSSL_INCLUDE_DIR})
  target_compile_options(teepnet_crypto_static_ta PRIVATE ${TEEPNET_WARNINGS})
  target_link_libraries(teepnet_crypto_static_ta PUBLIC teepnet_base
                        PRIVATE ${TEEPNET_LIBCRYPTO_STATIC})
  teepnet_static_ta_clone(teepnet_hpke_static_ta teepnet_hpke "\\.cc$"
                          teepnet_crypto_static_ta teepnet_base)
  teepnet_static_ta_clone(teepnet_cose_static_ta teepnet_cose "\\.cc$"
                          teepnet_hpke_static_ta teepnet_cbor teepnet_crypto_static_ta teepnet_base)
  teepnet_static_ta_clone(teepnet_channel_static_ta teepnet_channel
                          "(sealed|replay_guard|receipt)\\.cc$"
                          teepnet_cose_static_ta teepnet_cbor teepnet_crypto_static_ta teepnet_base)
  if(TARGET teepnet_vm_guest_key)
    teepnet_static_ta_clone(teepnet_vm_guest_key_static teepnet_vm_guest_key "\\.cc$"
                            teepnet_hpke_static_ta teepnet_crypto_static_ta teepnet_base)
  endif()
  set(TEEPNET_STATIC_TA_CRYPTO ON CACHE INTERNAL "static copies of the crypto modules exist")
else()
  set(TEEPNET_STATIC_TA_CRYPTO OFF CACHE INTERNAL "static copies of the crypto modules exist")
endif()

