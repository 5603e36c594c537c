// `teepnet tam install|remove|status`: the operator's commands against the M/OC admin API
// (services/moc/admin_api.h). Exit statuses: 0 ok, 1 the M/OC refused or could not be
// reached, 2 usage or input error.
#ifndef TEEPNET_SERVICES_CLI_TAM_H_
#define TEEPNET_SERVICES_CLI_TAM_H_

#include <span>

namespace teepnet::cli {

// args exclude the program and the `tam` command name.
int RunTam(std::span<char* const> args);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_TAM_H_
