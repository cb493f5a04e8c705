// Asio's implementation, compiled once for the whole program
// (BOOST_ASIO_SEPARATE_COMPILATION is set for every target that uses Asio).
#include <boost/asio/impl/src.hpp>
