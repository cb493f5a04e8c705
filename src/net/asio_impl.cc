// Asio's implementation (and its SSL part), compiled once for the whole program
// (BOOST_ASIO_SEPARATE_COMPILATION is set for every target that uses Asio).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
