// The row conversion of the TAM store's schema version 2 (sql_tam_store.cc): device statuses
// and desired states move from JSON text (tam_state_json.h) to the CBOR layout of
// tam_state_cbor.h. Runs inside that migration step's transaction (sql_migrations.h,
// MigrationConversion), after its SQL renamed the old tables to device_status_json and
// desired_state_json and created the new ones; it copies every row across and drops the old
// tables. A row that does not decode fails the migration (nothing is dropped silently).
#ifndef TEEPNET_STORE_TAM_STATE_CONVERSION_H_
#define TEEPNET_STORE_TAM_STATE_CONVERSION_H_

#include "teepnet/base/result.h"
#include "teepnet/store/sql.h"

namespace teepnet::store {

Status ConvertTamStateJsonToCbor(SqlConnection& connection);

}  // namespace teepnet::store

#endif  // TEEPNET_STORE_TAM_STATE_CONVERSION_H_
